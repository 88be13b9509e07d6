package dev.entramcp.adapter.entra;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.fixtures.InMemoryUpstreamTokenStore;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UpstreamTokens;
import dev.entramcp.domain.service.UpstreamTokenBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Where the domain's {@link UpstreamTokenBroker} (tested on its own in the domain) meets this
 * adapter: the refresh it asks for really reaches the token endpoint, a rotated refresh token is
 * what gets stored, and a refresh token the upstream revoked ends with the stored tokens deleted.
 */
class UpstreamTokenBrokerOverEntraTest {

    private static EntraMock mock;

    private final LoopbackHttpClient http = new LoopbackHttpClient();
    private final EntraAuthorizationCodeClient entra = new EntraAuthorizationCodeClient(
            ConfidentialClientConfig.of(EntraOnBehalfOfClientTest.SERVER_CLIENT_ID, mock.authority(),
                    new ClientCredentialConfig.ClientSecret("secret-" + UUID.randomUUID())), FacadeSignIn.GRAPH,
            Optional.of(http));
    private final InMemoryUpstreamTokenStore store = new InMemoryUpstreamTokenStore();
    private final List<CallerIdentity> updatedUsers = new CopyOnWriteArrayList<>();
    private final UpstreamTokenBroker broker = new UpstreamTokenBroker(store, entra, updatedUsers::add, Clock.systemUTC());
    private final CallerIdentity alice = Callers.aCaller().withObjectId(EntraMock.ALICE).build();

    @BeforeAll
    static void startMock() {
        mock = EntraMock.startWithShortLivedTokensAndRotation();
    }

    @AfterAll
    static void stopMock() {
        mock.close();
    }

    @Test
    void givenAnExpiredStoredToken_acquireToken_refreshesAtEntraAndStoresTheRotatedRefreshToken() throws Exception {
        UpstreamTokens signedIn = expiredSignIn();

        AccessToken token = broker.acquireToken(alice, Set.of("User.Read"));

        UpstreamTokens stored = store.load(alice.principal()).orElseThrow();
        assertThat(token.value()).isNotEqualTo(signedIn.accessToken().value());
        assertThat(stored.accessToken()).isEqualTo(token);
        assertThat(stored.refreshToken().orElseThrow().value()).isNotEqualTo(signedIn.refreshToken().orElseThrow().value());
        assertThat(http.tokenRequests()).last().satisfies(s -> assertThat(s.grantType()).isEqualTo("refresh_token"));
    }

    @Test
    void givenARoleRemovedAtEntra_theNextRefresh_handsOnAliceWithoutIt() throws Exception {
        expiredSignIn();
        mock.nextTokensWithRoles(List.of());

        broker.acquireToken(alice, Set.of("User.Read"));

        assertThat(updatedUsers).singleElement().satisfies(user -> {
            assertThat(user.principal()).isEqualTo(alice.principal());
            assertThat(user.roles()).isEmpty();
        });
    }

    @Test
    void givenARefreshTokenRevokedAtEntra_acquireToken_deletesTheStoredTokensAndAsksForSignIn() throws Exception {
        UpstreamTokens signedIn = expiredSignIn();
        mock.revoke(signedIn.refreshToken().orElseThrow().value());

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> broker.acquireToken(alice, Set.of("User.Read")))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class));
        assertThat(store.load(alice.principal())).isEmpty();
    }

    /** Alice signs in through the facade's flow; her tokens are stored with an access token already expired. */
    private UpstreamTokens expiredSignIn() throws Exception {
        UpstreamTokens tokens = FacadeSignIn.signIn(entra).tokens();
        UpstreamTokens expired = new UpstreamTokens(AccessToken.of(tokens.accessToken().value(), Instant.now().minusSeconds(1)),
                tokens.refreshToken(), tokens.scopes());
        store.save(alice.principal(), expired);
        return expired;
    }
}
