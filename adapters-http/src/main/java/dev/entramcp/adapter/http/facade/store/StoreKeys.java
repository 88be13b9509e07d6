package dev.entramcp.adapter.http.facade.store;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
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
 * <p>The same keys also derive (HMAC-SHA-256 with a fixed label, a one-step KDF) the key that
 * hashes registered clients' secrets ({@link #mac}), so that a copy of the store alone lets no
 * one test guesses of a secret offline.
 */
public final class StoreKeys {

    /** The id given to a key made up at start for an in-memory store. */
    public static final String EPHEMERAL_KEY_ID = "ephemeral";

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentKeyId;
    private final Map<String, SecretKey> keys;

    private StoreKeys(String currentKeyId, Map<String, SecretKey> keys) {
        this.currentKeyId = currentKeyId;
        this.keys = Collections.unmodifiableMap(keys);
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

    SecretKey current() {
        return keys.get(currentKeyId);
    }

    Optional<SecretKey> byId(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    /** The key ids, current first. */
    public List<String> keyIds() {
        return new ArrayList<>(keys.keySet());
    }

    /**
     * A keyed hash of {@code value} for {@code purpose} under the current key, as
     * {@code kid.base64url(HMAC-SHA-256)}, to store instead of the value.
     */
    public String mac(String purpose, String value) {
        return currentKeyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(current(), purpose, value));
    }

    /** Whether {@code value} is what {@link #mac} hashed into {@code stored} (with whichever key it names), in constant time. */
    public boolean matchesMac(String purpose, String value, String stored) {
        if (stored == null || value == null) {
            return false;
        }
        int dot = stored.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        Optional<SecretKey> key = byId(stored.substring(0, dot));
        if (key.isEmpty()) {
            return false;
        }
        byte[] expected;
        try {
            expected = Base64.getUrlDecoder().decode(stored.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, hmac(key.get(), purpose, value));
    }

    private static byte[] hmac(SecretKey storeKey, String purpose, String value) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(storeKey.getEncoded(), "HmacSHA256"));
            byte[] derived = derive.doFinal(("entramcp-facade " + purpose).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(derived, "HmacSHA256"));
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
