package dev.entramcp.adapter.http.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where an issuer's signature-verification keys come from, looked up by {@code kid}.
 *
 * <p>A lookup never blocks and never goes to the network: it answers from keys already in memory.
 * An implementation backed by a remote JWKS ({@link JwksKeySource}) may <em>start</em> a
 * rate-limited background refresh when asked for an unknown key, so a key the issuer has just
 * rotated in is picked up for later requests, while the current request is refused at once.
 */
@FunctionalInterface
public interface SigningKeys {

    /** The key with this id, or why there is none. Never blocks. */
    Lookup find(String keyId);

    /** A fixed set of keys, e.g. the facade's own public keys, or a test's. */
    static SigningKeys of(JWKSet keySet) {
        Objects.requireNonNull(keySet, "'keySet' must not be null");
        Map<String, VerificationKey> keys = new LinkedHashMap<>();
        for (JWK jwk : keySet.getKeys()) {
            VerificationKey key = VerificationKey.from(jwk);
            if (keys.put(key.keyId(), key) != null) {
                throw new IllegalArgumentException("'keySet' holds two keys with kid " + key.keyId());
            }
        }
        Map<String, VerificationKey> frozen = Map.copyOf(keys);
        return keyId -> {
            VerificationKey key = frozen.get(keyId);
            return key == null ? Lookup.Missing.UNKNOWN_KEY : new Lookup.Found(key);
        };
    }

    /** The answer to a key lookup. */
    sealed interface Lookup {

        /** The key is known. */
        record Found(VerificationKey key) implements Lookup {
            public Found {
                Objects.requireNonNull(key, "'key' must not be null");
            }
        }

        /** No usable key: either this {@code kid} is unknown, or no key set was ever loaded. */
        enum Missing implements Lookup {
            /** Keys are loaded, but none has this id (a foreign token, or a key not yet picked up). */
            UNKNOWN_KEY,
            /** The key set has never been fetched successfully: nothing can be verified yet. */
            NOT_LOADED
        }
    }
}
