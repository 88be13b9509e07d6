package dev.entramcp.adapter.entra.cache;

import com.microsoft.aad.msal4j.ITokenCache;
import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * msal4j's token cache, persisted across restarts and protected at rest.
 *
 * <ul>
 *   <li><b>Encrypted</b> with AES-256-GCM (random nonce, versioned header, see {@link CacheCipher}),
 *       under a key kept apart from the cache (see {@link CacheKeyPolicy}).</li>
 *   <li><b>Owner-only</b>: the cache, its lock file and the temporary file are created 0600.</li>
 *   <li><b>Safe across threads and processes</b>: msal4j calls {@link #beforeCacheAccess} and
 *       {@link #afterCacheAccess} around every cache operation, on one thread. Before, we take an
 *       in-JVM lock (shared by every instance on the same file) and then {@link FileChannel#lock()} on
 *       a separate lock file that is never renamed or deleted (so every process locks the same
 *       inode), and load the file; after, if msal4j changed the cache, we write it to a 0600
 *       temporary file, force it to disk and rename it over the cache atomically, then release both
 *       locks. If {@code before} fails, msal4j never calls {@code after}, so {@code before} releases
 *       its locks itself.</li>
 *   <li><b>Never a crash on a bad file</b>: a corrupted, tampered or undecryptable cache (or a wrong
 *       key) is logged as a warning and read as empty; the person signs in again and the next write
 *       replaces it.</li>
 *   <li><b>Decrypted only when it changed</b>: msal4j asks for the cache two or three times per token
 *       request. When the file holds exactly the bytes this instance last loaded into, or wrote from,
 *       the same msal4j cache, that cache already holds its content, and it is not decrypted and
 *       parsed again. The comparison is of the encrypted bytes, and every write seals with a fresh
 *       random nonce, so any write by anyone (another process, a tamperer) is seen. The lock, the
 *       permission check and the read itself still happen on every access.</li>
 * </ul>
 *
 * <p>Every change is written before the msal4j operation returns, so there is nothing to flush at
 * shutdown: {@link #close()} only waits for a write in progress to finish.
 */
public final class ProtectedTokenCache implements ITokenCacheAccessAspect, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProtectedTokenCache.class);
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path cacheFile;
    private final Path lockFile;
    private final CacheCipher cipher;
    private final ReentrantLock jvmLock;
    private final String keySource;

    // Guarded by jvmLock: only the thread between before and after touches them.
    private FileChannel lockChannel;
    private FileLock fileLock;
    private boolean sawCacheFile;
    // The encrypted bytes last loaded into, or written from, this msal4j cache (null: none).
    private byte[] inMemorySealed;
    private ITokenCache inMemoryCache;

    private ProtectedTokenCache(TokenCacheConfig config, CacheCipher cipher, String keySource) {
        this.cacheFile = config.cacheFile();
        this.lockFile = config.lockFile();
        this.cipher = cipher;
        this.keySource = keySource;
        this.jvmLock = JVM_LOCKS.computeIfAbsent(cacheFile, file -> new ReentrantLock());
    }

    /**
     * Opens the protected cache: finds or creates its key as the policy says (probing the OS keyring
     * at most once per JVM) and creates the lock file. Fails fast, with a message saying what to fix,
     * if the key cannot be had (for example a key file with loose permissions).
     */
    public static ProtectedTokenCache open(TokenCacheConfig config) {
        return open(config, System::getenv, null);
    }

    static ProtectedTokenCache open(TokenCacheConfig config, Function<String, String> environment,
                                    Supplier<Optional<KeyringStore>> keyring) {
        Objects.requireNonNull(config, "'config' must not be null");
        try {
            OwnerOnlyFiles.openForLocking(config.lockFile()).close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the token cache lock file " + config.lockFile(), e);
        }
        Supplier<Optional<KeyringStore>> keyrings = keyring != null ? keyring
                : () -> OsKeyrings.forCache(config.cacheFile(), config.lockFile());
        CacheKeys.ResolvedKey key = CacheKeys.resolve(config, environment, keyrings);
        LOG.info("Token cache {} is encrypted with a key from {}", config.cacheFile(), key.source());
        return new ProtectedTokenCache(config, new CacheCipher(key.key()), key.source());
    }

    public Path cacheFile() {
        return cacheFile;
    }

    /** Where the key came from, for diagnostics (never the key). */
    public String keySource() {
        return keySource;
    }

    @Override
    public void beforeCacheAccess(ITokenCacheAccessContext context) {
        jvmLock.lock();
        if (jvmLock.getHoldCount() > 1) {
            return; // nested access on this thread: the outer one holds the file lock and loaded the file
        }
        try {
            lockChannel = OwnerOnlyFiles.openForLocking(lockFile);
            fileLock = lockChannel.lock();
            load(context.tokenCache());
        } catch (IOException e) {
            // msal4j will not call afterCacheAccess: release everything here.
            releaseFileLock();
            jvmLock.unlock();
            throw new UncheckedIOException("Cannot lock the token cache " + cacheFile, e);
        } catch (RuntimeException | Error e) {
            releaseFileLock();
            jvmLock.unlock();
            throw e;
        }
    }

    @Override
    public void afterCacheAccess(ITokenCacheAccessContext context) {
        if (!jvmLock.isHeldByCurrentThread()) {
            return; // before failed and already released
        }
        try {
            if (jvmLock.getHoldCount() == 1 && context.hasCacheChanged()) {
                store(context.tokenCache());
            }
        } finally {
            if (jvmLock.getHoldCount() == 1) {
                releaseFileLock();
            }
            jvmLock.unlock();
        }
    }

    /**
     * True if the cache file this instance loaded earlier has since been deleted by another process
     * (a sign-out elsewhere). msal4j can only add to an in-memory cache, never clear it, so the
     * owner of the in-memory cache must drop it (build a fresh application) when this says so.
     */
    public boolean wasDeletedElsewhere() {
        jvmLock.lock();
        try {
            return sawCacheFile && !Files.exists(cacheFile);
        } finally {
            jvmLock.unlock();
        }
    }

    /**
     * What the cache file holds now, read without taking the cache lock (writers replace the file
     * atomically, so a read sees one whole version). Two versions are equal only if the file held
     * the same encrypted bytes both times and was owner-only both times: any write in between, by
     * anyone, seals with a new random nonce and so makes a different version. A client that keeps
     * something derived from the cache (the signed-in caller) keeps it only while this is unchanged.
     */
    public Version version() {
        try {
            if (OwnerOnlyFiles.isLooserThanOwnerOnly(cacheFile)) {
                return Version.NEEDS_REPAIR; // only a locked access repairs it: never equal to anything
            }
            return Version.of(Files.readAllBytes(cacheFile));
        } catch (NoSuchFileException absent) {
            return Version.ABSENT;
        } catch (IOException unreadable) {
            return Version.NEEDS_REPAIR;
        }
    }

    /** Deletes the cache file, under both locks (sign-out). The key and the lock file stay. */
    public void delete() {
        deleteUnderLocks(cacheFile, lockFile, jvmLock);
        jvmLock.lock();
        try {
            sawCacheFile = false;
            forgetInMemoryVersion();
        } finally {
            jvmLock.unlock();
        }
    }

    /**
     * Deletes the cache file of this configuration, under both locks, without opening the cache:
     * signing out needs neither the key (which may be missing or refused) nor an Entra client.
     *
     * @return true if there was a cache file to delete
     */
    public static boolean delete(TokenCacheConfig config) {
        Objects.requireNonNull(config, "'config' must not be null");
        return deleteUnderLocks(config.cacheFile(), config.lockFile(),
                JVM_LOCKS.computeIfAbsent(config.cacheFile(), file -> new ReentrantLock()));
    }

    private static boolean deleteUnderLocks(Path cacheFile, Path lockFile, ReentrantLock jvmLock) {
        jvmLock.lock();
        try (FileChannel channel = OwnerOnlyFiles.openForLocking(lockFile)) {
            FileLock lock = channel.lock();
            try {
                return Files.deleteIfExists(cacheFile);
            } finally {
                lock.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the token cache " + cacheFile, e);
        } finally {
            jvmLock.unlock();
        }
    }

    /** Waits until a cache write in progress has finished; every change is already on disk after that. */
    @Override
    public void close() {
        jvmLock.lock();
        jvmLock.unlock();
    }

    private void load(ITokenCache tokenCache) throws IOException {
        if (!Files.exists(cacheFile)) {
            sawCacheFile = false;
            forgetInMemoryVersion();
            return;
        }
        sawCacheFile = true;
        if (OwnerOnlyFiles.isLooserThanOwnerOnly(cacheFile)) {
            LOG.warn("The token cache {} had permissions {}; restricting it to its owner", cacheFile,
                    OwnerOnlyFiles.describePermissions(cacheFile));
            OwnerOnlyFiles.restrictToOwner(cacheFile);
        }
        byte[] sealed = Files.readAllBytes(cacheFile);
        if (sealed.length == 0) {
            return;
        }
        if (tokenCache == inMemoryCache && Arrays.equals(sealed, inMemorySealed)) {
            return; // this msal4j cache already holds exactly this file's content
        }
        forgetInMemoryVersion();
        try {
            String json = new String(cipher.open(sealed), StandardCharsets.UTF_8);
            tokenCache.deserialize(json);
            inMemorySealed = sealed;
            inMemoryCache = tokenCache;
        } catch (CacheCipher.UnreadableCacheException e) {
            warnUnreadable(e.getMessage());
        } catch (RuntimeException malformed) {
            // decrypted, but msal4j cannot parse it (written by a broken program): same outcome
            warnUnreadable("its content is not a token cache (" + malformed.getClass().getSimpleName() + ")");
        }
    }

    private void warnUnreadable(String reason) {
        LOG.warn("The token cache {} cannot be read: {}. Starting with an empty cache: you will be asked to sign in "
                + "again, and the next sign-in replaces the file.", cacheFile, reason);
    }

    private void store(ITokenCache tokenCache) {
        try {
            byte[] sealed = cipher.seal(tokenCache.serialize().getBytes(StandardCharsets.UTF_8));
            OwnerOnlyFiles.replaceAtomically(cacheFile, sealed);
            sawCacheFile = true;
            inMemorySealed = sealed;
            inMemoryCache = tokenCache;
        } catch (IOException e) {
            forgetInMemoryVersion();
            // The tokens stay usable in memory; only persistence failed. Never log cache content.
            LOG.warn("Cannot write the token cache {} ({}): the sign-in will not survive a restart",
                    cacheFile, e.getClass().getSimpleName());
        }
    }

    private void forgetInMemoryVersion() {
        inMemorySealed = null;
        inMemoryCache = null;
    }

    /**
     * One version of the cache file, see {@link #version()}. It holds the file's encrypted bytes to
     * compare them, and never shows them.
     */
    public static final class Version {

        static final Version ABSENT = new Version(State.ABSENT, null);
        /** A file with loose permissions, or that cannot be read: equal to no version, itself included. */
        static final Version NEEDS_REPAIR = new Version(State.NEEDS_REPAIR, null);

        private enum State { ABSENT, PRESENT, NEEDS_REPAIR }

        private final State state;
        private final byte[] sealed;

        private Version(State state, byte[] sealed) {
            this.state = state;
            this.sealed = sealed;
        }

        static Version of(byte[] sealed) {
            return new Version(State.PRESENT, sealed);
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Version version) || state == State.NEEDS_REPAIR || state != version.state) {
                return false;
            }
            return state == State.ABSENT || Arrays.equals(sealed, version.sealed);
        }

        @Override
        public int hashCode() {
            return state == State.PRESENT ? Arrays.hashCode(sealed) : state.hashCode();
        }

        @Override
        public String toString() {
            return state == State.PRESENT ? "Version[" + sealed.length + " bytes]" : "Version[" + state + "]";
        }
    }

    private void releaseFileLock() {
        try {
            if (fileLock != null && fileLock.isValid()) {
                fileLock.release();
            }
        } catch (IOException e) {
            LOG.debug("Releasing the token cache file lock failed", e);
        } finally {
            fileLock = null;
            try {
                if (lockChannel != null) {
                    lockChannel.close();
                }
            } catch (IOException e) {
                LOG.debug("Closing the token cache lock file failed", e);
            }
            lockChannel = null;
        }
    }
}
