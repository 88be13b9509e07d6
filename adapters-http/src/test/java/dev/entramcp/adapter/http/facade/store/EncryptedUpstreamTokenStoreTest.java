package dev.entramcp.adapter.http.facade.store;

import dev.entramcp.adapter.http.support.MutableClock;
import dev.entramcp.domain.contract.UpstreamTokenStorePortContract;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.model.RefreshToken;
import dev.entramcp.domain.model.UpstreamTokens;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The domain's store contract against both backends, and what encryption at rest means for the tokens. */
class EncryptedUpstreamTokenStoreTest {

    private static final Duration RETENTION = Duration.ofDays(7);
    private static final PrincipalId ALICE = PrincipalId.of(Callers.TENANT, Callers.ALICE_OID);
    private static final UpstreamTokens TOKENS = UpstreamTokens.of(
            AccessToken.of("alice-access-token", Instant.parse("2030-01-01T00:00:00Z")),
            RefreshToken.of("alice-refresh-token"), Set.of("User.Read"));

    @Nested
    class InMemory extends UpstreamTokenStorePortContract {
        @Override
        protected UpstreamTokenStorePort store() {
            MutableClock clock = MutableClock.atNow();
            return new EncryptedUpstreamTokenStore(new SealedRecords(new InMemoryRecordStore(clock),
                    StoreKeys.ephemeral(), clock), clock, RETENTION);
        }
    }

    @Nested
    class Durable extends UpstreamTokenStorePortContract {
        @TempDir
        Path temp;
        private final List<FileRecordStore> opened = new ArrayList<>();

        @Override
        protected UpstreamTokenStorePort store() {
            MutableClock clock = MutableClock.atNow();
            FileRecordStore files = FileRecordStore.open(temp.resolve("store-" + opened.size()), clock);
            opened.add(files);
            return new EncryptedUpstreamTokenStore(new SealedRecords(files, StoreKeys.ephemeral(), clock), clock, RETENTION);
        }

        @AfterEach
        void close() {
            opened.forEach(FileRecordStore::close);
        }
    }

    @Test
    void givenSavedTokens_theFilesOnDisk_containNoTokenValue(@TempDir Path temp) throws Exception {
        MutableClock clock = MutableClock.atNow();
        try (FileRecordStore files = FileRecordStore.open(temp, clock)) {
            EncryptedUpstreamTokenStore store = new EncryptedUpstreamTokenStore(new SealedRecords(files, StoreKeys.ephemeral(), clock),
                    clock, RETENTION);

            store.save(ALICE, TOKENS);

            try (Stream<Path> all = Files.walk(temp)) {
                for (Path file : all.filter(Files::isRegularFile).toList()) {
                    String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertThat(content).doesNotContain("alice-access-token").doesNotContain("alice-refresh-token")
                            .doesNotContain(ALICE.objectId());
                }
            }
        }
    }

    @Test
    void givenSavedTokens_afterTheRetention_theyAreGone() {
        MutableClock clock = MutableClock.atNow();
        EncryptedUpstreamTokenStore store = new EncryptedUpstreamTokenStore(
                new SealedRecords(new InMemoryRecordStore(clock), StoreKeys.ephemeral(), clock), clock, RETENTION);
        store.save(ALICE, TOKENS);

        clock.advance(RETENTION);

        assertThat(store.load(ALICE)).isEmpty();
    }
}
