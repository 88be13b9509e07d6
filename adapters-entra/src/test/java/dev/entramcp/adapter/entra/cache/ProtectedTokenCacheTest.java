package dev.entramcp.adapter.entra.cache;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.microsoft.aad.msal4j.ITokenCache;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import com.microsoft.aad.msal4j.TokenCache;
import com.microsoft.aad.msal4j.TokenCacheAccessContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The protected cache on its own, driven the way msal4j drives it: {@code before} (load), a change
 * to the in-memory cache, {@code after} (save). Each {@link ProtectedTokenCache} instance with its
 * own msal4j {@link TokenCache} plays one process.
 */
class ProtectedTokenCacheTest {

    private static final Function<String, String> NO_ENVIRONMENT = name -> null;

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ProtectedTokenCache.class.getPackageName());

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    @Test
    void givenAnEntryWritten_aSecondInstance_readsItBack() {
        TokenCacheConfig config = keyFileConfig();
        write(open(config), new TokenCache(), "entry-1");

        TokenCache fresh = new TokenCache();
        read(open(config), fresh);

        assertThat(accessTokenKeys(fresh)).containsExactly("entry-1");
    }

    @Test
    void givenAWrittenCache_theFileIsEncryptedAndEveryFileIsOwnerOnly() throws IOException {
        TokenCacheConfig config = keyFileConfig();

        write(open(config), new TokenCache(), "entry-1");

        String onDisk = Files.readString(config.cacheFile(), StandardCharsets.ISO_8859_1);
        assertThat(onDisk).startsWith("EMCC").doesNotContain("entry-1").doesNotContain("secret-of");
        assertThat(permissions(config.cacheFile())).isEqualTo("rw-------");
        assertThat(permissions(config.lockFile())).isEqualTo("rw-------");
        assertThat(permissions(config.keyFile())).isEqualTo("rw-------");
        assertThat(config.cacheFile().resolveSibling("msal.cache.tmp")).doesNotExist();
    }

    @Test
    void givenATamperedFile_reading_warnsAndGivesAnEmptyCacheWithoutFailing() throws IOException {
        TokenCacheConfig config = keyFileConfig();
        write(open(config), new TokenCache(), "entry-1");
        byte[] sealed = Files.readAllBytes(config.cacheFile());
        sealed[sealed.length - 3] ^= 0x01;
        Files.write(config.cacheFile(), sealed);

        TokenCache fresh = new TokenCache();
        read(open(config), fresh);

        assertThat(accessTokenKeys(fresh)).isEmpty();
        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("cannot be read").contains("modified, or was written with another key"));
    }

    @Test
    void givenAnotherKey_reading_warnsAndGivesAnEmptyCache_andTheNextWriteReplacesTheFile() throws IOException {
        TokenCacheConfig config = keyFileConfig();
        write(open(config), new TokenCache(), "entry-1");
        Files.delete(config.keyFile());
        ProtectedTokenCache withNewKey = open(config);

        TokenCache fresh = new TokenCache();
        read(withNewKey, fresh);
        write(withNewKey, fresh, "entry-2");

        assertThat(accessTokenKeys(fresh)).containsExactly("entry-2");
        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("another key"));
        TokenCache reread = new TokenCache();
        read(open(config), reread);
        assertThat(accessTokenKeys(reread)).containsExactly("entry-2");
    }

    @Test
    void givenDecryptableGarbage_reading_warnsAndGivesAnEmptyCache() throws IOException {
        byte[] key = CacheKeys.newKeyBytes();
        TokenCacheConfig config = TokenCacheConfig.at(dir.resolve("msal.cache")).withKeyPolicy(CacheKeyPolicy.ENVIRONMENT);
        Function<String, String> environment = name -> Base64.getEncoder().encodeToString(key);
        Files.write(config.cacheFile(), new CacheCipher(CacheKeys.aesKey(key)).seal("{ not json".getBytes(StandardCharsets.UTF_8)));

        TokenCache fresh = new TokenCache();
        read(ProtectedTokenCache.open(config, environment, Optional::empty), fresh);

        assertThat(accessTokenKeys(fresh)).isEmpty();
        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("not a token cache"));
    }

    @Test
    void givenAKeyFileReadableByOthers_open_refusesIt() throws IOException {
        TokenCacheConfig config = keyFileConfig();
        open(config);
        Files.setPosixFilePermissions(config.keyFile(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatExceptionOfType(TokenCacheKeyException.class)
                .isThrownBy(() -> open(config))
                .withMessageContaining("Refusing the token cache key file")
                .withMessageContaining("rw-r--r--")
                .withMessageContaining("chmod 600");
    }

    @Test
    void givenACacheDirectoryOthersMayWriteTo_open_refusesItBeforeWritingAnything() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        TokenCacheConfig config = TokenCacheConfig.at(shared.resolve("token-cache.bin")).withKeyPolicy(CacheKeyPolicy.KEY_FILE);

        assertThatExceptionOfType(java.io.UncheckedIOException.class)
                .isThrownBy(() -> open(config))
                .havingRootCause()
                .withMessageContaining("other users may write to it (rwxrwxrwx)")
                .withMessageContaining("chmod 700 " + shared.toAbsolutePath());
        try (var entries = Files.list(shared)) {
            assertThat(entries).as("no lock, key or cache file was created there").isEmpty();
        }
    }

    @Test
    void givenAKeyFileReadableByOthers_deleteByConfiguration_stillDeletesTheCacheWithoutNeedingTheKey() throws IOException {
        TokenCacheConfig config = keyFileConfig();
        write(open(config), new TokenCache(), "entry-1");
        Files.setPosixFilePermissions(config.keyFile(), PosixFilePermissions.fromString("rw-r--r--"));

        boolean deleted = ProtectedTokenCache.delete(config);

        assertThat(deleted).isTrue();
        assertThat(config.cacheFile()).doesNotExist();
        assertThat(ProtectedTokenCache.delete(config)).isFalse();
    }

    @Test
    void givenTheWriterIsInterruptedMidAccess_afterCacheAccess_stillWritesTheChangeAndKeepsTheInterrupt() throws IOException {
        TokenCacheConfig config = keyFileConfig();
        ProtectedTokenCache cache = open(config);
        write(cache, new TokenCache(), "entry-1");
        TokenCache next = new TokenCache();
        read(cache, next);

        ITokenCacheAccessContext context = context(next, true);
        cache.beforeCacheAccess(context);
        next.deserialize(accessTokenEntry("entry-2"));
        boolean interruptKept;
        Thread.currentThread().interrupt(); // as executor.shutdownNow() does to msal4j's thread, while it writes
        try {
            cache.afterCacheAccess(context);
        } finally {
            interruptKept = Thread.interrupted();
        }

        TokenCache reread = new TokenCache();
        read(open(config), reread);
        assertThat(interruptKept).isTrue();
        assertThat(accessTokenKeys(reread)).containsExactlyInAnyOrder("entry-1", "entry-2");
        assertThat(warnings()).isEmpty();
    }

    @Test
    void givenACacheFileMadeReadableByOthers_reading_restrictsItToTheOwnerAgain() throws IOException {
        TokenCacheConfig config = keyFileConfig();
        write(open(config), new TokenCache(), "entry-1");
        Files.setPosixFilePermissions(config.cacheFile(), PosixFilePermissions.fromString("rw-r--r--"));

        TokenCache fresh = new TokenCache();
        read(open(config), fresh);

        assertThat(permissions(config.cacheFile())).isEqualTo("rw-------");
        assertThat(accessTokenKeys(fresh)).containsExactly("entry-1");
    }

    @Test
    void givenAnEnvironmentKeyOfTheWrongLength_open_refusesItWithoutShowingIt() {
        TokenCacheConfig config = TokenCacheConfig.at(dir.resolve("msal.cache")).withKeyPolicy(CacheKeyPolicy.ENVIRONMENT);
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatExceptionOfType(TokenCacheKeyException.class)
                .isThrownBy(() -> ProtectedTokenCache.open(config, name -> shortKey, Optional::empty))
                .withMessageContaining("ENTRA_MCP_CACHE_KEY")
                .withMessageContaining("32 bytes")
                .withMessageNotContaining(shortKey);
    }

    @Test
    void givenAutoPolicy_open_prefersTheEnvironmentThenTheKeyringThenAKeyFileWithAWarning() {
        TokenCacheConfig config = TokenCacheConfig.at(dir.resolve("msal.cache"));
        String envKey = Base64.getEncoder().encodeToString(CacheKeys.newKeyBytes());
        FakeKeyring keyring = new FakeKeyring();

        ProtectedTokenCache fromEnvironment = ProtectedTokenCache.open(config, name -> envKey, () -> Optional.of(keyring));
        ProtectedTokenCache fromKeyring = ProtectedTokenCache.open(config, NO_ENVIRONMENT, () -> Optional.of(keyring));
        ProtectedTokenCache fromFile = ProtectedTokenCache.open(config, NO_ENVIRONMENT, Optional::empty);

        assertThat(fromEnvironment.keySource()).isEqualTo("environment variable ENTRA_MCP_CACHE_KEY");
        assertThat(fromKeyring.keySource()).isEqualTo("fake keyring");
        assertThat(keyring.stored).hasSize(44);
        assertThat(fromFile.keySource()).startsWith("key file ");
        assertThat(config.keyFile()).exists();
        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("No OS keyring is available").contains("ENTRA_MCP_CACHE_KEY"));
    }

    @Test
    void givenAKeyringThatRefusesAfterTheProbe_autoPolicy_fallsBackToTheKeyFile() {
        TokenCacheConfig config = TokenCacheConfig.at(dir.resolve("msal.cache"));
        KeyringStore locked = new KeyringStore() {
            @Override
            public Optional<byte[]> read() {
                throw new IllegalStateException("keychain locked");
            }

            @Override
            public void write(byte[] secret) {
                throw new IllegalStateException("keychain locked");
            }

            @Override
            public String description() {
                return "locked keyring";
            }
        };

        ProtectedTokenCache cache = ProtectedTokenCache.open(config, NO_ENVIRONMENT, () -> Optional.of(locked));

        assertThat(cache.keySource()).startsWith("key file ");
        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("locked keyring").contains("falling back"));
    }

    @Test
    void givenAKeyInTheKeyring_aSecondInstance_readsTheCacheWithIt() {
        TokenCacheConfig config = TokenCacheConfig.at(dir.resolve("msal.cache")).withKeyPolicy(CacheKeyPolicy.KEYRING);
        FakeKeyring keyring = new FakeKeyring();
        write(ProtectedTokenCache.open(config, NO_ENVIRONMENT, () -> Optional.of(keyring)), new TokenCache(), "entry-1");

        TokenCache fresh = new TokenCache();
        read(ProtectedTokenCache.open(config, NO_ENVIRONMENT, () -> Optional.of(keyring)), fresh);

        assertThat(accessTokenKeys(fresh)).containsExactly("entry-1");
        assertThat(config.keyFile()).doesNotExist();
    }

    @Test
    void givenNoKeyring_keyringPolicy_failsFastSayingWhatToUseInstead() {
        TokenCacheConfig config = TokenCacheConfig.at(dir.resolve("msal.cache")).withKeyPolicy(CacheKeyPolicy.KEYRING);

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> ProtectedTokenCache.open(config, NO_ENVIRONMENT, Optional::empty))
                .withMessageContaining("use 'env' or 'file'");
    }

    @Test
    void givenSeveralWritersOnSeveralThreads_everyUpdateSurvives() throws Exception {
        TokenCacheConfig config = keyFileConfig();
        open(config);
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int writer = 0; writer < 4; writer++) {
            int id = writer;
            writers.add(CompletableFuture.runAsync(() -> {
                ProtectedTokenCache cache = open(config); // one instance and one msal4j cache per "process"
                TokenCache memory = new TokenCache();
                for (int i = 0; i < 25; i++) {
                    write(cache, memory, "thread-" + id + "-" + i);
                }
            }));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        TokenCache all = new TokenCache();
        read(open(config), all);
        assertThat(accessTokenKeys(all)).hasSize(100);
    }

    @Test
    void givenSeveralWriterProcesses_everyUpdateSurvives() throws Exception {
        TokenCacheConfig config = keyFileConfig();
        open(config);
        List<Process> processes = new ArrayList<>();
        for (int writer = 0; writer < 3; writer++) {
            processes.add(new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                    CacheWriterProcess.class.getName(), config.cacheFile().toString(), config.keyFile().toString(),
                    "process-" + writer, "20")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process process : processes) {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        }

        TokenCache all = new TokenCache();
        read(open(config), all);
        assertThat(accessTokenKeys(all)).hasSize(60);
    }

    @Test
    void givenACache_delete_removesTheFileButKeepsTheLockAndTheKey() {
        TokenCacheConfig config = keyFileConfig();
        ProtectedTokenCache cache = open(config);
        write(cache, new TokenCache(), "entry-1");

        cache.delete();

        assertThat(config.cacheFile()).doesNotExist();
        assertThat(config.lockFile()).exists();
        assertThat(config.keyFile()).exists();
        assertThat(cache.wasDeletedElsewhere()).isFalse();
    }

    @Test
    void givenACacheLoadedHere_deletedByAnotherInstance_isReportedAsDeletedElsewhere() {
        TokenCacheConfig config = keyFileConfig();
        ProtectedTokenCache here = open(config);
        write(here, new TokenCache(), "entry-1");

        open(config).delete();

        assertThat(here.wasDeletedElsewhere()).isTrue();
    }

    @Test
    void givenALockFailureInBefore_theLocksAreReleased_soTheNextAccessWorks() throws IOException {
        TokenCacheConfig config = keyFileConfig();
        ProtectedTokenCache cache = open(config);
        Files.delete(config.lockFile());
        Files.createDirectory(config.lockFile()); // opening the lock file now fails

        assertThatExceptionOfType(RuntimeException.class)
                .isThrownBy(() -> cache.beforeCacheAccess(context(new TokenCache(), false)));
        Files.delete(config.lockFile());
        write(cache, new TokenCache(), "entry-1");

        assertThat(config.cacheFile()).exists();
    }

    @Test
    void givenTheFileThisInstanceLastWrote_readingAgain_doesNotDecryptIt_butAWriteByAnotherInstanceIsLoaded() {
        TokenCacheConfig config = keyFileConfig();
        ProtectedTokenCache here = open(config);
        CountingTokenCache memory = new CountingTokenCache();
        write(here, memory, "entry-1");
        int afterWrite = memory.deserializations;

        read(here, memory);
        read(here, memory);
        int whileUnchanged = memory.deserializations - afterWrite;
        write(open(config), new TokenCache(), "entry-2");
        read(here, memory);

        assertThat(whileUnchanged).isZero();
        assertThat(memory.deserializations - afterWrite).isEqualTo(1);
        assertThat(accessTokenKeys(memory)).containsExactlyInAnyOrder("entry-1", "entry-2");
    }

    @Test
    void givenAFileLoadedIntoOneMsalCache_aFreshMsalCache_stillLoadsIt() {
        TokenCacheConfig config = keyFileConfig();
        ProtectedTokenCache cache = open(config);
        write(cache, new TokenCache(), "entry-1");

        TokenCache fresh = new TokenCache(); // what a rebuilt msal4j application brings
        read(cache, fresh);

        assertThat(accessTokenKeys(fresh)).containsExactly("entry-1");
    }

    @Test
    void givenNoWrite_version_staysEqual_andAnyWriteOrDeletionChangesIt() {
        TokenCacheConfig config = keyFileConfig();
        ProtectedTokenCache here = open(config);
        ProtectedTokenCache.Version absent = here.version();
        write(here, new TokenCache(), "entry-1");
        ProtectedTokenCache.Version written = here.version();

        ProtectedTokenCache.Version unchanged = here.version();
        write(open(config), new TokenCache(), "entry-1"); // the same content, written again elsewhere
        ProtectedTokenCache.Version rewritten = here.version();
        open(config).delete();
        ProtectedTokenCache.Version deleted = here.version();

        assertThat(written).isNotEqualTo(absent).isEqualTo(unchanged);
        assertThat(rewritten).isNotEqualTo(written);
        assertThat(deleted).isNotEqualTo(rewritten).isEqualTo(absent);
    }

    @Test
    void givenACacheFileReadableByOthers_version_equalsNothing_untilAnAccessRestrictsIt() throws IOException {
        TokenCacheConfig config = keyFileConfig();
        ProtectedTokenCache cache = open(config);
        write(cache, new TokenCache(), "entry-1");
        ProtectedTokenCache.Version before = cache.version();
        Files.setPosixFilePermissions(config.cacheFile(), PosixFilePermissions.fromString("rw-r--r--"));

        ProtectedTokenCache.Version loose = cache.version();
        read(cache, new TokenCache());

        assertThat(loose).isNotEqualTo(before).isNotEqualTo(loose);
        assertThat(cache.version()).isEqualTo(before);
    }

    // --- helpers --------------------------------------------------------------------------------

    private TokenCacheConfig keyFileConfig() {
        return TokenCacheConfig.at(dir.resolve("state").resolve("msal.cache")).withKeyPolicy(CacheKeyPolicy.KEY_FILE);
    }

    private static ProtectedTokenCache open(TokenCacheConfig config) {
        return ProtectedTokenCache.open(config, NO_ENVIRONMENT, Optional::empty);
    }

    static void write(ProtectedTokenCache cache, ITokenCache memory, String key) {
        ITokenCacheAccessContext context = context(memory, true);
        cache.beforeCacheAccess(context);
        try {
            memory.deserialize(accessTokenEntry(key));
        } finally {
            cache.afterCacheAccess(context);
        }
    }

    private static void read(ProtectedTokenCache cache, ITokenCache memory) {
        ITokenCacheAccessContext context = context(memory, false);
        cache.beforeCacheAccess(context);
        cache.afterCacheAccess(context);
    }

    private static ITokenCacheAccessContext context(ITokenCache memory, boolean changed) {
        return TokenCacheAccessContext.builder().tokenCache(memory).clientId("client").hasCacheChanged(changed).build();
    }

    /** A cache holding one access token entry under this key, in msal4j's serialization format. */
    static String accessTokenEntry(String key) {
        return "{\"AccessToken\":{\"" + key + "\":{\"home_account_id\":\"uid.utid\",\"environment\":\"localhost\","
                + "\"credential_type\":\"AccessToken\",\"client_id\":\"client\",\"secret\":\"secret-of-" + key + "\","
                + "\"realm\":\"tenant\",\"target\":\"User.Read\",\"cached_at\":\"1\",\"expires_on\":\"4102444800\"}}}";
    }

    static List<String> accessTokenKeys(ITokenCache memory) {
        try {
            Map<String, Object> json = JSONObjectUtils.parse(memory.serialize());
            Map<String, Object> accessTokens = JSONObjectUtils.getJSONObject(json, "AccessToken");
            return accessTokens == null ? List.of() : List.copyOf(accessTokens.keySet());
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static String permissions(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** msal4j's cache, counting how often its content is replaced from the file. */
    private static final class CountingTokenCache implements ITokenCache {
        private final TokenCache delegate = new TokenCache();
        private int deserializations;

        @Override
        public void deserialize(String data) {
            deserializations++;
            delegate.deserialize(data);
        }

        @Override
        public String serialize() {
            return delegate.serialize();
        }
    }

    private static final class FakeKeyring implements KeyringStore {
        private volatile byte[] stored;

        @Override
        public Optional<byte[]> read() {
            return Optional.ofNullable(stored);
        }

        @Override
        public void write(byte[] secret) {
            stored = secret.clone();
        }

        @Override
        public String description() {
            return "fake keyring";
        }
    }
}
