package dev.entramcp.adapter.entra.cache;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the public client's token cache lives and where its encryption key comes from.
 *
 * @param cacheFile              the encrypted cache (0600); a lock file {@code <cacheFile>.lock} sits beside it
 * @param keyPolicy              where the key comes from
 * @param keyEnvironmentVariable the variable holding a base64 256-bit key ({@code ENTRA_MCP_CACHE_KEY})
 * @param keyFile                the owner-only key file used by {@link CacheKeyPolicy#KEY_FILE} and as the
 *                               last resort of {@link CacheKeyPolicy#AUTO}
 */
public record TokenCacheConfig(Path cacheFile, CacheKeyPolicy keyPolicy, String keyEnvironmentVariable, Path keyFile) {

    public static final String DEFAULT_KEY_VARIABLE = "ENTRA_MCP_CACHE_KEY";

    public TokenCacheConfig {
        Objects.requireNonNull(cacheFile, "'cacheFile' must not be null");
        cacheFile = cacheFile.toAbsolutePath().normalize();
        Objects.requireNonNull(keyPolicy, "'keyPolicy' must not be null");
        if (keyEnvironmentVariable == null || keyEnvironmentVariable.isBlank()) {
            throw new IllegalArgumentException("'keyEnvironmentVariable' must not be blank");
        }
        Objects.requireNonNull(keyFile, "'keyFile' must not be null");
        keyFile = keyFile.toAbsolutePath().normalize();
        if (keyFile.equals(cacheFile)) {
            throw new IllegalArgumentException("'keyFile' must not be the cache file itself");
        }
    }

    /** The cache at this path, key policy {@code auto}, key file {@code <cacheFile>.key}. */
    public static TokenCacheConfig at(Path cacheFile) {
        Path absolute = cacheFile.toAbsolutePath();
        return new TokenCacheConfig(absolute, CacheKeyPolicy.AUTO, DEFAULT_KEY_VARIABLE,
                absolute.resolveSibling(absolute.getFileName() + ".key"));
    }

    public TokenCacheConfig withKeyPolicy(CacheKeyPolicy policy) {
        return new TokenCacheConfig(cacheFile, policy, keyEnvironmentVariable, keyFile);
    }

    public TokenCacheConfig withKeyFile(Path file) {
        return new TokenCacheConfig(cacheFile, keyPolicy, keyEnvironmentVariable, file);
    }

    public TokenCacheConfig withKeyEnvironmentVariable(String variable) {
        return new TokenCacheConfig(cacheFile, keyPolicy, variable, keyFile);
    }

    /** The separate lock file, never renamed or deleted, so that every process locks the same inode. */
    public Path lockFile() {
        return cacheFile.resolveSibling(cacheFile.getFileName() + ".lock");
    }
}
