package dev.entramcp.adapter.entra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A PKCE code verifier (RFC 7636): 32 random bytes, base64url. Kept server-side between the
 * redirect to Entra and the callback; only its S256 challenge travels in the authorize URL.
 * Masked in {@code toString}.
 */
public record PkceVerifier(String value) {

    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public PkceVerifier {
        if (value == null || !VERIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException("'value' must be 43 to 128 unreserved characters (RFC 7636)");
        }
    }

    public static PkceVerifier random() {
        return new PkceVerifier(randomToken());
    }

    /** {@code BASE64URL(SHA256(verifier))}, the {@code S256} challenge. */
    public String s256Challenge() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "PkceVerifier[***]";
    }
}
