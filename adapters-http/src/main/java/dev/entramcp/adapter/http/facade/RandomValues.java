package dev.entramcp.adapter.http.facade;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Unguessable values (codes, states, ids, secrets) and the PKCE S256 transformation. */
final class RandomValues {

    /** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");
    /** An S256 challenge: base64url of a SHA-256, 43 characters. */
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomValues() {
    }

    /** {@code bytes} random bytes, base64url without padding (32 bytes: 256 bits, 43 characters). */
    static String token(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return base64url(value);
    }

    static byte[] bytes(int length) {
        byte[] value = new byte[length];
        RANDOM.nextBytes(value);
        return value;
    }

    static String base64url(byte[] value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    static boolean isVerifier(String value) {
        return value != null && VERIFIER.matcher(value).matches();
    }

    static boolean isS256Challenge(String value) {
        return value != null && S256_CHALLENGE.matcher(value).matches();
    }

    /** {@code BASE64URL(SHA256(ASCII(verifier)))}. */
    static String s256(String verifier) {
        try {
            return base64url(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Whether {@code verifier} is the one whose S256 challenge is {@code challenge}, compared in constant time. */
    static boolean verifierMatches(String verifier, String challenge) {
        if (!isVerifier(verifier) || challenge == null) {
            return false;
        }
        return MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII),
                challenge.getBytes(StandardCharsets.US_ASCII));
    }

    /** Constant-time equality of two strings. */
    static boolean same(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
