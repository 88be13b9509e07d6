package dev.entramcp.domain.service;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.fixtures.InMemoryUpstreamTokenStore;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.RefreshToken;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UpstreamAuthorizationRequest;
import dev.entramcp.domain.model.UpstreamSignIn;
import dev.entramcp.domain.model.UpstreamTokens;
import dev.entramcp.domain.port.out.UpstreamAuthorizationPort;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class UpstreamTokenBrokerTest {

    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
    private static final Set<String> GRAPH = Set.of("User.Read");

    private final InMemoryUpstreamTokenStore store = new InMemoryUpstreamTokenStore();
    private final List<UpstreamTokens> refreshedFrom = new ArrayList<>();
    private final List<CallerIdentity> updatedUsers = new ArrayList<>();
    private CallerIdentity refreshedUser = Callers.alice();
    private UnaryOperator<UpstreamTokens> refresh = current ->
            UpstreamTokens.of(AccessToken.of("access-2", NOW.plusSeconds(3600)), RefreshToken.of("refresh-2"), current.scopes());

    private final UpstreamAuthorizationPort upstream = new UpstreamAuthorizationPort() {
        @Override
        public URI authorizationUrl(UpstreamAuthorizationRequest request) {
            throw new AssertionError("not used");
        }

        @Override
        public UpstreamSignIn redeem(String code, String codeVerifier, URI redirectUri, String expectedNonce) {
            throw new AssertionError("not used");
        }

        @Override
        public UpstreamSignIn refresh(UpstreamTokens current) {
            refreshedFrom.add(current);
            return new UpstreamSignIn(refreshedUser, refresh.apply(current));
        }
    };

    private final UpstreamTokenBroker broker = new UpstreamTokenBroker(store, upstream, updatedUsers::add,
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static UpstreamTokens stored(Instant accessExpiry, String refreshToken) {
        return UpstreamTokens.of(AccessToken.of("access-1", accessExpiry), refreshToken == null ? null : RefreshToken.of(refreshToken), GRAPH);
    }

    @Test
    void givenFreshAccessToken_acquireToken_returnsItWithoutRefreshing() {
        store.save(Callers.alice().principal(), stored(NOW.plusSeconds(3600), "refresh-1"));

        AccessToken token = broker.acquireToken(Callers.alice(), GRAPH);

        assertThat(token.value()).isEqualTo("access-1");
        assertThat(refreshedFrom).isEmpty();
    }

    @Test
    void givenAccessTokenAboutToExpire_acquireToken_refreshesAndStoresTheRotatedTokens() {
        store.save(Callers.alice().principal(), stored(NOW.plusSeconds(30), "refresh-1"));

        AccessToken token = broker.acquireToken(Callers.alice(), GRAPH);

        assertThat(token.value()).isEqualTo("access-2");
        assertThat(refreshedFrom).extracting(tokens -> tokens.refreshToken().orElseThrow().value()).containsExactly("refresh-1");
        assertThat(store.load(Callers.alice().principal()).orElseThrow().refreshToken()).contains(RefreshToken.of("refresh-2"));
    }

    @Test
    void givenARoleRemovedUpstreamSinceTheSignIn_aRefresh_handsTheUsersCurrentRolesOn() {
        CallerIdentity signedInWithRole = Callers.aCaller().withRoles("Mail.Sender").build();
        refreshedUser = Callers.aCaller().build();
        store.save(signedInWithRole.principal(), stored(NOW.plusSeconds(30), "refresh-1"));

        broker.acquireToken(signedInWithRole, GRAPH);

        assertThat(updatedUsers).singleElement().satisfies(user -> {
            assertThat(user.principal()).isEqualTo(signedInWithRole.principal());
            assertThat(user.roles()).isEmpty();
        });
    }

    @Test
    void givenAFreshAccessToken_acquireToken_updatesNoUser() {
        store.save(Callers.alice().principal(), stored(NOW.plusSeconds(3600), "refresh-1"));

        broker.acquireToken(Callers.alice(), GRAPH);

        assertThat(updatedUsers).isEmpty();
    }

    @Test
    void givenARefreshAnsweredForAnotherUser_acquireToken_deletesTheTokensAsksToSignInAgainAndUpdatesNoUser() {
        refreshedUser = Callers.bob();
        store.save(Callers.alice().principal(), stored(NOW.minusSeconds(1), "refresh-1"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> broker.acquireToken(Callers.alice(), GRAPH))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class));
        assertThat(store.load(Callers.alice().principal())).isEmpty();
        assertThat(updatedUsers).isEmpty();
    }

    @Test
    void givenUpstreamThatDoesNotRotate_acquireToken_keepsTheOldRefreshToken() {
        refresh = current -> UpstreamTokens.of(AccessToken.of("access-2", NOW.plusSeconds(3600)), null, current.scopes());
        store.save(Callers.alice().principal(), stored(NOW.minusSeconds(1), "refresh-1"));

        broker.acquireToken(Callers.alice(), GRAPH);

        assertThat(store.load(Callers.alice().principal()).orElseThrow().refreshToken()).contains(RefreshToken.of("refresh-1"));
    }

    @Test
    void givenRevokedRefreshToken_acquireToken_deletesTheStoredTokensAndAsksToSignInAgain() {
        refresh = current -> {
            throw new ToolFailureException(new ToolFailure.SignInRequired("the refresh token was revoked"));
        };
        store.save(Callers.alice().principal(), stored(NOW.minusSeconds(1), "refresh-1"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> broker.acquireToken(Callers.alice(), GRAPH))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class));
        assertThat(store.load(Callers.alice().principal())).isEmpty();
    }

    @Test
    void givenUpstreamThrottling_acquireToken_keepsTheStoredTokensForALaterTry() {
        refresh = current -> {
            throw new ToolFailureException(new ToolFailure.Throttled(java.time.Duration.ofSeconds(5)));
        };
        store.save(Callers.alice().principal(), stored(NOW.minusSeconds(1), "refresh-1"));

        assertThatExceptionOfType(ToolFailureException.class).isThrownBy(() -> broker.acquireToken(Callers.alice(), GRAPH));
        assertThat(store.load(Callers.alice().principal())).isPresent();
    }

    @Test
    void givenExpiredTokenAndNoRefreshToken_acquireToken_deletesAndAsksToSignInAgain() {
        store.save(Callers.alice().principal(), stored(NOW.minusSeconds(1), null));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> broker.acquireToken(Callers.alice(), GRAPH))
                .withMessageContaining("sign in to this server again");
        assertThat(store.load(Callers.alice().principal())).isEmpty();
    }

    @Test
    void givenNothingStored_acquireToken_asksToSignIn() {
        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> broker.acquireToken(Callers.bob(), GRAPH))
                .withMessageContaining("no upstream sign-in is stored for you");
    }
}
