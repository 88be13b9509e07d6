package dev.entramcp.adapter.http.facade.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/** The shape of namespaces and keys, and the hashing of secret values into keys. */
public final class RecordKeys {

    private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final int MAX_KEY_LENGTH = 512;

    private RecordKeys() {
    }

    /** A key for a secret value (a code, a {@code state}): base64url of its SHA-256, never the value itself. */
    public static String hashed(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static String checkNamespace(String namespace) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("'namespace' must be 1 to 32 lower-case letters, digits or '-'");
        }
        return namespace;
    }

    static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("'key' must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new IllegalArgumentException("'key' must be printable ASCII without spaces");
            }
        }
        return key;
    }
}
