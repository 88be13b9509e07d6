package dev.entramcp.adapter.http.facade;

import dev.entramcp.adapter.http.facade.store.InMemoryRecordStore;
import dev.entramcp.adapter.http.facade.store.RecordKeys;
import dev.entramcp.adapter.http.facade.store.RecordStore;
import dev.entramcp.adapter.http.facade.store.SealedRecords;
import dev.entramcp.adapter.http.facade.store.StoreKeys;
import dev.entramcp.adapter.http.support.MutableClock;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.fixtures.InMemoryUpstreamTokenStore;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.service.UpstreamTokenBroker;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A code presented a second time while its first redemption is still running (security review,
 * finding 7): the two must not both come away empty-handed for the replay while the first keeps a
 * live grant. The store here runs the second presentation exactly between the moment the first
 * takes the code and the moment it creates its grant, the window the race lives in.
 */
class CodeReplayRaceTest {

    private static final String ISSUER = "http://localhost:8080";
    private static final String CLIENT_ID = "race-client";
    private static final String REDIRECT_URI = "http://127.0.0.1:53682/callback";

    private final MutableClock clock = MutableClock.atNow();
    private final InterleavingStore store = new InterleavingStore(new InMemoryRecordStore(clock));
    private final SealedRecords records = new SealedRecords(store, StoreKeys.ephemeral(), clock);
    private final InMemoryUpstreamTokenStore upstreamTokens = new InMemoryUpstreamTokenStore();
    private final Grants grants = new Grants(records, upstreamTokens, clock, Duration.ofDays(7), Duration.ofHours(24));
    private final FacadeSettings settings = settings();
    private final TokenEndpoint endpoint = new TokenEndpoint(settings, clients(), records, grants,
            new FacadeTokens(settings, SigningKeyring.open(records, clock, Duration.ofDays(30), Duration.ofMinutes(10)), clock),
            upstreamTokens, new UpstreamTokenBroker(upstreamTokens, new FakeUpstream(),
            user -> grants.update(SignedInUser.of(user)), clock), clock);
    private final CallerIdentity user = FacadeUsers.aUser("Race");

    @Test
    void givenACodePresentedAgainWhileItsFirstRedemptionRuns_neitherPresentation_leavesALiveGrant() {
        OAuthTestClient.Pkce pkce = OAuthTestClient.Pkce.fresh();
        String code = codeFor(pkce);
        AtomicReference<OAuthError> replay = new AtomicReference<>();
        store.beforeNextCodeTakeReturns(() -> replay.set(refusal(() -> endpoint.token(redemption(code, pkce), Optional.empty()))));

        OAuthError first = refusal(() -> endpoint.token(redemption(code, pkce), Optional.empty()));

        assertThat(replay.get()).isNotNull();
        assertThat(replay.get().error()).isEqualTo(OAuthError.INVALID_GRANT);
        assertThat(first.error()).isEqualTo(OAuthError.INVALID_GRANT);
        assertThat(first.description()).contains("presented twice");
        assertThat(grants.of(user.principal())).isEmpty();
        assertThat(upstreamTokens.load(user.principal())).isEmpty();
    }

    @Test
    void givenACodePresentedAgainAfterItsRedemption_theReplay_revokesTheGrantTheFirstCreated() {
        OAuthTestClient.Pkce pkce = OAuthTestClient.Pkce.fresh();
        String code = codeFor(pkce);
        endpoint.token(redemption(code, pkce), Optional.empty());
        assertThat(grants.of(user.principal())).hasSize(1);

        OAuthError replay = refusal(() -> endpoint.token(redemption(code, pkce), Optional.empty()));

        assertThat(replay.description()).contains("already used");
        assertThat(grants.of(user.principal())).isEmpty();
    }

    private static OAuthError refusal(Runnable call) {
        List<OAuthError> thrown = new ArrayList<>();
        assertThatExceptionOfType(OAuthError.class).isThrownBy(call::run).satisfies(thrown::add);
        return thrown.get(0);
    }

    /** What the callback stores for the client: a code for {@link #user}, bound to the client, its redirect URI and PKCE. */
    private String codeFor(OAuthTestClient.Pkce pkce) {
        String code = RandomValues.token(32);
        Instant now = clock.instant();
        records.write(PendingRecords.CODES, RecordKeys.hashed(code), new PendingRecords.Code(
                new PendingRecords.Request(CLIENT_ID, REDIRECT_URI, pkce.challenge(), "s", List.of("User.Read"), null),
                user.principal().tenantId(), user.principal().objectId(), user.username(), user.displayName(), List.of(),
                List.of("User.Read"), "upstream-access", now.plus(Duration.ofHours(1)).toEpochMilli(), "upstream-refresh",
                List.of("User.Read"), now.toEpochMilli()), Optional.of(now.plus(Duration.ofSeconds(60))));
        return code;
    }

    private static Form redemption(String code, OAuthTestClient.Pkce pkce) {
        return Form.parse(OAuthTestClient.form(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT_URI, "code_verifier", pkce.verifier(), "client_id", CLIENT_ID)));
    }

    private Clients clients() {
        Clients clients = new Clients(records, Optional.empty(), Duration.ofMinutes(10), Duration.ofSeconds(60), 1, clock);
        clients.save(new RegisteredClient(CLIENT_ID, Optional.of("Race client"), List.of(REDIRECT_URI),
                RegisteredClient.ApplicationType.NATIVE, RegisteredClient.AuthMethod.NONE, Optional.empty(),
                Set.of(RegisteredClient.AUTHORIZATION_CODE, RegisteredClient.REFRESH_TOKEN), clock.instant(),
                RegisteredClient.Origin.REGISTERED));
        return clients;
    }

    private static FacadeSettings settings() {
        return new FacadeSettings(ISSUER, URI.create(ISSUER + "/mcp"), URI.create(ISSUER + FacadeSettings.CALLBACK_PATH),
                List.of("User.Read"), List.of("User.Read"), Set.of(Callers.TENANT),
                Set.of("User.Read", "offline_access"), Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofHours(24),
                Duration.ofDays(7), Duration.ofDays(30), FacadeSettings.StoreType.MEMORY, Optional.empty(),
                StoreKeys.ephemeral(), true, 60,
                new FacadeSettings.CimdSettings(false, false, Duration.ofSeconds(5), 16_384, Duration.ofMinutes(10),
                        Duration.ofSeconds(60), 4, Optional.empty()),
                new FacadeSettings.LimitSettings(60, 10, 300, 10_000, 10_000, false));
    }

    /** A record store that runs a test's action once, right after the next code is taken and before the taker goes on. */
    private static final class InterleavingStore implements RecordStore {
        private final RecordStore delegate;
        private Runnable beforeTakeReturns;

        InterleavingStore(RecordStore delegate) {
            this.delegate = delegate;
        }

        void beforeNextCodeTakeReturns(Runnable action) {
            beforeTakeReturns = action;
        }

        @Override
        public Optional<byte[]> get(String namespace, String key) {
            return delegate.get(namespace, key);
        }

        @Override
        public void put(String namespace, String key, byte[] value, Optional<Instant> expiresAt) {
            delegate.put(namespace, key, value, expiresAt);
        }

        @Override
        public Optional<byte[]> take(String namespace, String key) {
            Optional<byte[]> taken = delegate.take(namespace, key);
            Runnable action = beforeTakeReturns;
            if (PendingRecords.CODES.equals(namespace) && action != null) {
                beforeTakeReturns = null;
                action.run();
            }
            return taken;
        }

        @Override
        public boolean compareAndSet(String namespace, String key, Optional<byte[]> expected, byte[] value,
                                     Optional<Instant> expiresAt) {
            return delegate.compareAndSet(namespace, key, expected, value, expiresAt);
        }

        @Override
        public void delete(String namespace, String key) {
            delegate.delete(namespace, key);
        }
    }
}
