package dev.entramcp.adapter.entra.cache;

import com.microsoft.aad.msal4j.TokenCache;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A separate JVM writing to the shared cache, for the cross-process test: each cycle is msal4j's
 * read-modify-write (before, add one entry, after). Arguments: cache file, key file, prefix, count.
 */
public final class CacheWriterProcess {

    private CacheWriterProcess() {
    }

    public static void main(String[] args) {
        TokenCacheConfig config = TokenCacheConfig.at(Path.of(args[0])).withKeyPolicy(CacheKeyPolicy.KEY_FILE).withKeyFile(Path.of(args[1]));
        ProtectedTokenCache cache = ProtectedTokenCache.open(config, name -> null, Optional::empty);
        TokenCache memory = new TokenCache();
        int count = Integer.parseInt(args[3]);
        for (int i = 0; i < count; i++) {
            ProtectedTokenCacheTest.write(cache, memory, args[2] + "-" + i);
        }
    }
}
