package dev.entramcp.adapter.entra.cache;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Seals the serialized token cache with AES-256-GCM.
 *
 * <p>File layout: {@code "EMCC"} (4 bytes) | format version (1 byte) | random 96-bit nonce (12 bytes)
 * | ciphertext with its 128-bit tag. The magic and version are authenticated as associated data,
 * together with a fixed context string, so that a file cannot be re-labelled as another format and
 * a blob sealed for another purpose under the same key does not open here. A fresh nonce per write
 * is safe for far more writes than a token cache will ever see.
 */
final class CacheCipher {

    static final byte[] MAGIC = {'E', 'M', 'C', 'C'};
    static final byte VERSION = 1;
    static final int KEY_BYTES = 32;

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER_BYTES = MAGIC.length + 1;
    private static final byte[] CONTEXT = "dev.entramcp msal token cache".getBytes(StandardCharsets.US_ASCII);

    private final SecretKey key;
    private final SecureRandom random;

    CacheCipher(SecretKey key) {
        this(key, new SecureRandom());
    }

    CacheCipher(SecretKey key, SecureRandom random) {
        this.key = Objects.requireNonNull(key, "'key' must not be null");
        if (key.getEncoded() == null || key.getEncoded().length != KEY_BYTES || !"AES".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("'key' must be a 256-bit AES key");
        }
        this.random = Objects.requireNonNull(random, "'random' must not be null");
    }

    byte[] seal(byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] header = header(VERSION);
            cipher.updateAAD(header);
            cipher.updateAAD(CONTEXT);
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = new byte[HEADER_BYTES + NONCE_BYTES + sealed.length];
            System.arraycopy(header, 0, out, 0, HEADER_BYTES);
            System.arraycopy(nonce, 0, out, HEADER_BYTES, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, HEADER_BYTES + NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** Opens a sealed cache, or says precisely why it cannot (never with any of its content). */
    byte[] open(byte[] sealed) throws UnreadableCacheException {
        if (sealed.length < HEADER_BYTES + NONCE_BYTES + TAG_BITS / 8
                || !Arrays.equals(Arrays.copyOf(sealed, MAGIC.length), MAGIC)) {
            throw new UnreadableCacheException("it is not an entra-mcp encrypted cache (unknown header)");
        }
        byte version = sealed[MAGIC.length];
        if (version != VERSION) {
            throw new UnreadableCacheException("it has format version " + version + ", this program reads version " + VERSION);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_BITS, sealed, HEADER_BYTES, NONCE_BYTES));
            cipher.updateAAD(sealed, 0, HEADER_BYTES);
            cipher.updateAAD(CONTEXT);
            return cipher.doFinal(sealed, HEADER_BYTES + NONCE_BYTES, sealed.length - HEADER_BYTES - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new UnreadableCacheException("it was modified, or was written with another key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private static byte[] header(byte version) {
        byte[] header = Arrays.copyOf(MAGIC, HEADER_BYTES);
        header[MAGIC.length] = version;
        return header;
    }

    /** The cache file cannot be opened: tampered, truncated, another key, or another format. */
    static final class UnreadableCacheException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableCacheException(String reason) {
            super(reason, null, false, false);
        }
    }
}
