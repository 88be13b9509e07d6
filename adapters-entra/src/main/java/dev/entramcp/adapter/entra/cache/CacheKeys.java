package dev.entramcp.adapter.entra.cache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds (or, on first use, creates) the 256-bit key that encrypts the token cache, following the
 * configured {@link CacheKeyPolicy}. Messages name where a key was looked for, never the key.
 */
final class CacheKeys {

    private static final Logger LOG = LoggerFactory.getLogger(CacheKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The key and a description of where it lives, for one log line. */
    record ResolvedKey(SecretKey key, String source) {
    }

    private CacheKeys() {
    }

    static ResolvedKey resolve(TokenCacheConfig config, Function<String, String> environment,
                               Supplier<Optional<KeyringStore>> keyring) {
        return switch (config.keyPolicy()) {
            case ENVIRONMENT -> fromEnvironment(config, environment).orElseThrow(() -> new TokenCacheKeyException(
                    "Token cache key policy 'env' needs the environment variable " + config.keyEnvironmentVariable()
                            + " (a base64-encoded 256-bit key, for example the output of: openssl rand -base64 32)"));
            case KEYRING -> keyring.get().map(CacheKeys::fromKeyring).orElseThrow(() -> new TokenCacheKeyException(
                    "Token cache key policy 'keyring' needs an OS keyring (macOS Keychain, libsecret, Windows DPAPI), "
                            + "and none is available here; use 'env' or 'file'"));
            case KEY_FILE -> fromKeyFile(config.keyFile());
            case AUTO -> fromEnvironment(config, environment)
                    .or(() -> keyring.get().flatMap(CacheKeys::fromKeyringIfItAnswers))
                    .orElseGet(() -> {
                        ResolvedKey key = fromKeyFile(config.keyFile());
                        LOG.warn("No OS keyring is available and {} is not set: the token cache key is kept in the "
                                        + "owner-only file {}. Anyone who can read your files can read both the key and the "
                                        + "cache; set {} or use a machine with a keyring for stronger protection.",
                                config.keyEnvironmentVariable(), config.keyFile(), config.keyEnvironmentVariable());
                        return key;
                    });
        };
    }

    private static Optional<ResolvedKey> fromEnvironment(TokenCacheConfig config, Function<String, String> environment) {
        String value = environment.apply(config.keyEnvironmentVariable());
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new ResolvedKey(decode(value.trim(), "the environment variable " + config.keyEnvironmentVariable()),
                "environment variable " + config.keyEnvironmentVariable()));
    }

    /** A keyring that answered the probe may still refuse later (a locked Keychain over SSH): fall back. */
    private static Optional<ResolvedKey> fromKeyringIfItAnswers(KeyringStore store) {
        try {
            return Optional.of(fromKeyring(store));
        } catch (Throwable refused) {
            LOG.warn("The OS keyring ({}) refused the token cache key ({}); falling back", store.description(),
                    refused.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private static ResolvedKey fromKeyring(KeyringStore store) {
        Optional<byte[]> stored = store.read();
        if (stored.isPresent()) {
            return new ResolvedKey(decode(new String(stored.get(), StandardCharsets.US_ASCII).trim(), store.description()),
                    store.description());
        }
        byte[] fresh = newKeyBytes();
        store.write(Base64.getEncoder().encode(fresh));
        return new ResolvedKey(aesKey(fresh), store.description());
    }

    private static ResolvedKey fromKeyFile(Path keyFile) {
        try {
            if (!Files.exists(keyFile)) {
                byte[] fresh = newKeyBytes();
                try {
                    OwnerOnlyFiles.createNew(keyFile, Base64.getEncoder().encode(fresh));
                    LOG.info("Created the token cache key file {} (owner-only)", keyFile);
                    return new ResolvedKey(aesKey(fresh), "key file " + keyFile);
                } catch (FileAlreadyExistsException createdConcurrently) {
                    // another process created it first: read theirs below
                }
            }
            if (OwnerOnlyFiles.isLooserThanOwnerOnly(keyFile)) {
                throw new TokenCacheKeyException("Refusing the token cache key file " + keyFile + ": its permissions are "
                        + OwnerOnlyFiles.describePermissions(keyFile) + ", but it must be readable by its owner only. "
                        + "Run: chmod 600 " + keyFile);
            }
            String content = Files.readString(keyFile, StandardCharsets.US_ASCII).trim();
            return new ResolvedKey(decode(content, "the key file " + keyFile), "key file " + keyFile);
        } catch (IOException e) {
            throw new TokenCacheKeyException("Cannot read or create the token cache key file " + keyFile + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private static SecretKey decode(String base64, String where) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException notBase64) {
            throw new TokenCacheKeyException("The token cache key in " + where + " is not valid base64");
        }
        if (bytes.length != CacheCipher.KEY_BYTES) {
            throw new TokenCacheKeyException("The token cache key in " + where + " must be 32 bytes (256 bits), base64-encoded; "
                    + "it has " + bytes.length + " bytes. Generate one with: openssl rand -base64 32");
        }
        return aesKey(bytes);
    }

    static byte[] newKeyBytes() {
        byte[] key = new byte[CacheCipher.KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    static SecretKey aesKey(byte[] bytes) {
        return new SecretKeySpec(bytes, "AES");
    }
}
