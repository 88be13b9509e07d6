package dev.entramcp.emulator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The token signing keys: RS256 with 2048-bit RSA keys, like Entra. One key signs; after a rotation the
 * previous key stays in the JWKS for a grace period, so tokens it signed still verify while relying parties
 * pick up the new key. Private keys never leave this class.
 */
final class SigningKeys {

    /** A key; {@code retiresAt} is null while it is the signing key. */
    private record Entry(String kid, RSAPublicKey publicKey, RSAPrivateKey privateKey, Instant retiresAt) {
    }

    private final Clock clock;
    private final String issuer;
    private final CompletableFuture<KeyPair> first;
    private Entry current;
    private final List<Entry> retired = new ArrayList<>();

    /**
     * Keys whose first pair is still being generated: RSA key generation is the slowest part of a start (a
     * prime search, 0.1 to 1 s on a busy 2-core machine), so the server starts listening while it runs and
     * the first use of a key waits for it.
     */
    SigningKeys(Clock clock, String issuer, CompletableFuture<KeyPair> first) {
        this.clock = clock;
        this.issuer = issuer;
        this.first = first;
    }

    /** The signing key; the first call waits for the first key pair. Callers hold the lock. */
    private Entry current() {
        if (current == null) {
            current = entry(first.join());
        }
        return current;
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA signing key", e);
        }
    }

    synchronized String currentKid() {
        return current().kid();
    }

    /** Starts signing with a new key; the old one is still served and accepted for {@code grace}. */
    String rotate(Duration grace) {
        Entry next = entry(newKeyPair());
        synchronized (this) {
            Entry old = current();
            retired.add(new Entry(old.kid(), old.publicKey(), old.privateKey(), clock.instant().plus(grace)));
            current = next;
            return next.kid();
        }
    }

    /** The JWKS document: the signing key first, then retired keys still in their grace period. */
    synchronized Map<String, Object> jwks() {
        List<Object> keys = new ArrayList<>();
        keys.add(jwk(current()));
        for (Entry entry : live()) {
            keys.add(jwk(entry));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("keys", keys);
        return doc;
    }

    /** The public key for {@code kid}, if it is the signing key or a retired key still in its grace period. */
    synchronized Optional<RSAPublicKey> publicKey(String kid) {
        if (current().kid().equals(kid)) {
            return Optional.of(current().publicKey());
        }
        return live().stream().filter(e -> e.kid().equals(kid)).map(Entry::publicKey).findFirst();
    }

    /**
     * Serialises and signs a JWS exactly as given. The header defaults to {@code typ=JWT}, {@code alg=RS256}
     * and the signing key's {@code kid}; {@code alg=none} yields an unsigned token (for tests of refusals).
     */
    String sign(Map<String, Object> header, Map<String, Object> claims) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("typ", "JWT");
        h.put("alg", "RS256");
        Entry key;
        synchronized (this) {
            key = current();
        }
        h.put("kid", key.kid());
        h.putAll(header);
        h.values().removeIf(v -> v == null);
        String signingInput = b64(JSONObjectUtils.toJSONString(h)) + "." + b64(JSONObjectUtils.toJSONString(claims));
        Object alg = h.get("alg");
        if ("none".equals(alg)) {
            return signingInput + ".";
        }
        if (!"RS256".equals(alg)) {
            throw new IllegalArgumentException("the emulator signs with RS256 (or 'none' for an unsigned token), not "
                    + alg);
        }
        Entry signer = key;
        synchronized (this) {
            for (Entry entry : retired) {
                if (entry.kid().equals(h.get("kid"))) {
                    signer = entry;
                }
            }
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(signer.privateKey());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private List<Entry> live() {
        Instant now = clock.instant();
        retired.removeIf(e -> !e.retiresAt().isAfter(now));
        return retired;
    }

    private Map<String, Object> jwk(Entry entry) {
        Map<String, Object> jwk = new LinkedHashMap<>(new RSAKey.Builder(entry.publicKey()).build().toJSONObject());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kty", "RSA");
        out.put("use", "sig");
        out.put("kid", entry.kid());
        out.put("n", jwk.get("n"));
        out.put("e", jwk.get("e"));
        // Entra adds the issuer to each key so multi-tenant validators can check iss against the key's tenant.
        out.put("issuer", issuer);
        return out;
    }

    private static Entry entry(KeyPair pair) {
        RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
        try {
            String kid = new RSAKey.Builder(publicKey).build().computeThumbprint().toString();
            return new Entry(kid, publicKey, (RSAPrivateKey) pair.getPrivate(), null);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot compute a key id", e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
