package dev.entramcp.adapter.http.facade.store;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The facade store's keys: AES-256 keys, each with an id. The first is the <em>current</em> key,
 * which seals every new record; the others only open records sealed before a rotation. Every
 * sealed record names the id of its key, so rotating is: put a new key first, keep the old ones
 * until what they sealed has expired or been rewritten, then drop them.
 *
 * <p>Configured as {@code kid:base64} entries ({@code entramcp.facade.store.keys}, or the
 * environment variable {@code ENTRAMCP_FACADE_STORE_KEYS} as a comma-separated list), for example
 * {@code k2:<openssl rand -base64 32>,k1:<the previous key>}. Never printed: {@link #toString}
 * shows only the key ids.
 *
 * <h2>Configured keys and the keys in use</h2>
 * A configured key is never used as it is. HKDF-SHA-256 (RFC 5869) derives from it one key per
 * use, each under its own label: {@code "entramcp-facade-store/v2 record encryption"} seals records
 * (AES-256-GCM), and {@code "entramcp-facade-store/v2 mac "} followed by a purpose keys the HMAC-SHA-256 that hashes, for example,
 * registered clients' secrets ({@link #mac}), so that a copy of the store alone lets no one test
 * guesses of a secret offline. One key never serves two algorithms.
 *
 * <p>Earlier versions used the configured key itself for AES-GCM and, through a one-step HMAC
 * derivation, for secret hashes. What they wrote still opens: records in the older format with
 * the configured key (and rewritten in the current one when next written), secret hashes in the
 * older {@code kid.base64} form by {@link #matchesMac} (new ones are written {@code v2$kid$base64}).
 */
public final class StoreKeys {

    /** The id given to a key made up at start for an in-memory store. */
    public static final String EPHEMERAL_KEY_ID = "ephemeral";

    /** The HKDF label of the key that seals records. */
    static final String RECORD_ENCRYPTION_LABEL = "entramcp-facade-store/v2 record encryption";
    /** The HKDF label prefix of the keys of keyed hashes; the purpose follows. */
    static final String MAC_LABEL = "entramcp-facade-store/v2 mac ";

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final String MAC_V2 = "v2$";
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentKeyId;
    private final Map<String, SecretKey> keys;
    private final Map<String, SecretKey> recordKeys;

    private StoreKeys(String currentKeyId, Map<String, SecretKey> keys) {
        this.currentKeyId = currentKeyId;
        this.keys = Collections.unmodifiableMap(keys);
        Map<String, SecretKey> derived = new LinkedHashMap<>();
        keys.forEach((kid, key) -> derived.put(kid, new SecretKeySpec(
                hkdf(key.getEncoded(), new byte[0], RECORD_ENCRYPTION_LABEL.getBytes(StandardCharsets.UTF_8), KEY_BYTES), "AES")));
        this.recordKeys = Collections.unmodifiableMap(derived);
    }

    /**
     * Parses {@code kid:base64} entries, the first being the current key.
     *
     * @throws IllegalArgumentException saying what is wrong (never echoing key material)
     */
    public static StoreKeys parse(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            throw new IllegalArgumentException("no store key is configured");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (String entry : entries) {
            String trimmed = entry == null ? "" : entry.strip();
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("each store key must be written kid:base64 (for example k1:<32 random bytes in base64>)");
            }
            String kid = trimmed.substring(0, colon);
            if (!KEY_ID.matcher(kid).matches()) {
                throw new IllegalArgumentException("a store key id must be 1 to 32 letters, digits, '.', '_' or '-'");
            }
            byte[] material;
            try {
                material = Base64.getDecoder().decode(trimmed.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the store key '" + kid + "' is not valid base64");
            }
            if (material.length != KEY_BYTES) {
                throw new IllegalArgumentException("the store key '" + kid + "' must be exactly 32 bytes (AES-256), it has " + material.length);
            }
            if (keys.put(kid, new SecretKeySpec(material, "AES")) != null) {
                throw new IllegalArgumentException("the store key id '" + kid + "' is used twice");
            }
        }
        return new StoreKeys(keys.keySet().iterator().next(), new LinkedHashMap<>(keys));
    }

    /** One random key that lives only in this process: for an in-memory store, whose records die with it too. */
    public static StoreKeys ephemeral() {
        byte[] material = new byte[KEY_BYTES];
        RANDOM.nextBytes(material);
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        keys.put(EPHEMERAL_KEY_ID, new SecretKeySpec(material, "AES"));
        return new StoreKeys(EPHEMERAL_KEY_ID, keys);
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    /** The AES key that seals new records: derived from the current configured key. */
    SecretKey current() {
        return recordKeys.get(currentKeyId);
    }

    /** The AES key that opens records sealed under {@code keyId}, derived from that configured key. */
    Optional<SecretKey> byId(String keyId) {
        return Optional.ofNullable(recordKeys.get(keyId));
    }

    /**
     * The configured key itself: what the others are derived from, and what opens records of the
     * older format (see the class comment). Never used to seal.
     */
    Optional<SecretKey> configuredKey(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    /** The key ids, current first. */
    public List<String> keyIds() {
        return new ArrayList<>(keys.keySet());
    }

    /**
     * A keyed hash of {@code value} for {@code purpose} under the current key, as
     * {@code v2$kid$base64url(HMAC-SHA-256)}, to store instead of the value. The HMAC key is
     * HKDF-derived for that purpose (see the class comment).
     */
    public String mac(String purpose, String value) {
        return MAC_V2 + currentKeyId + "$" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(hmac(macKey(keys.get(currentKeyId), purpose), value));
    }

    /**
     * Whether {@code value} is what {@link #mac} hashed into {@code stored} (with whichever key it
     * names; an older {@code kid.base64} hash too), in constant time.
     */
    public boolean matchesMac(String purpose, String value, String stored) {
        if (stored == null || value == null) {
            return false;
        }
        boolean current = stored.startsWith(MAC_V2);
        String rest = current ? stored.substring(MAC_V2.length()) : stored;
        int separator = current ? rest.indexOf('$') : rest.lastIndexOf('.');
        if (separator <= 0) {
            return false;
        }
        Optional<SecretKey> key = configuredKey(rest.substring(0, separator));
        if (key.isEmpty()) {
            return false;
        }
        byte[] expected;
        try {
            expected = Base64.getUrlDecoder().decode(rest.substring(separator + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] macKey = current ? macKey(key.get(), purpose) : legacyMacKey(key.get(), purpose);
        return MessageDigest.isEqual(expected, hmac(macKey, value));
    }

    /** HKDF-SHA-256 (RFC 5869): extract with {@code salt} (none: zeros), then expand to {@code length} bytes. */
    static byte[] hkdf(byte[] inputKey, byte[] salt, byte[] info, int length) {
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
            byte[] pseudoRandomKey = extract.doFinal(inputKey);
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(pseudoRandomKey, "HmacSHA256"));
            byte[] output = new byte[length];
            byte[] block = new byte[0];
            int filled = 0;
            for (int counter = 1; filled < length; counter++) {
                expand.update(block);
                expand.update(info);
                expand.update((byte) counter);
                block = expand.doFinal();
                int take = Math.min(block.length, length - filled);
                System.arraycopy(block, 0, output, filled, take);
                filled += take;
            }
            Arrays.fill(pseudoRandomKey, (byte) 0);
            return output;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    private static byte[] macKey(SecretKey configured, String purpose) {
        return hkdf(configured.getEncoded(), new byte[0], (MAC_LABEL + purpose).getBytes(StandardCharsets.UTF_8), KEY_BYTES);
    }

    /** The derivation of secret hashes written before HKDF: HMAC-SHA-256 of a label under the configured key. */
    private static byte[] legacyMacKey(SecretKey configured, String purpose) {
        return hmac(configured.getEncoded(), "entramcp-facade " + purpose);
    }

    private static byte[] hmac(byte[] key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "StoreKeys[current=" + currentKeyId + ", ids=" + keys.keySet() + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoreKeys that && currentKeyId.equals(that.currentKeyId) && keys.equals(that.keys);
    }

    @Override
    public int hashCode() {
        return Objects.hash(currentKeyId, keys.keySet());
    }
}
