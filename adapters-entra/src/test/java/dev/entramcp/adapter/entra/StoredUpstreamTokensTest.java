package dev.entramcp.adapter.entra;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UpstreamTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Facade mode: tokens from the store, refreshed through the confidential client at mock-oauth2-server. */
class StoredUpstreamTokensTest {

    private static EntraMock mock;

    private final LoopbackHttpClient http = new LoopbackHttpClient();
    private final EntraAuthorizationCodeClient entra = new EntraAuthorizationCodeClient(
            ConfidentialClientConfig.of(EntraOnBehalfOfClientTest.SERVER_CLIENT_ID, mock.authority(),
                    new ClientCredentialConfig.ClientSecret("secret-" + UUID.randomUUID())), Optional.of(http));
    private final InMemoryUpstreamTokenStore store = new InMemoryUpstreamTokenStore();
    private final StoredUpstreamTokens tokens = new StoredUpstreamTokens(store, entra, Clock.systemUTC(), Duration.ofMinutes(5));
    private final CallerIdentity alice = Callers.aCaller().withObjectId(EntraMock.ALICE).build();

    @BeforeAll
    static void startMock() {
        mock = EntraMock.start();
    }

    @AfterAll
    static void stopMock() {
        mock.close();
    }

    @Test
    void givenAValidStoredToken_acquireToken_returnsItWithoutCallingEntra() throws Exception {
        UpstreamTokens stored = signIn();
        http.clear();

        AccessToken token = tokens.acquireToken(alice, Set.of("User.Read"));

        assertThat(token).isEqualTo(stored.accessToken());
        assertThat(http.sent()).isEmpty();
    }

    @Test
    void givenAnExpiredStoredToken_acquireToken_refreshesAndStoresTheNewTokens() throws Exception {
        UpstreamTokens signedIn = signIn();
        UpstreamTokens expired = new UpstreamTokens(AccessToken.of(signedIn.accessToken().value(), Instant.now().minusSeconds(1)),
                signedIn.refreshToken(), signedIn.scopes());
        store.save(alice.principal(), expired);

        AccessToken token = tokens.acquireToken(alice, Set.of("User.Read"));

        assertThat(token.value()).isNotEqualTo(signedIn.accessToken().value());
        assertThat(store.load(alice.principal())).get().satisfies(saved -> assertThat(saved.accessToken()).isEqualTo(token));
        assertThat(http.tokenRequests()).last().satisfies(s -> assertThat(s.grantType()).isEqualTo("refresh_token"));
    }

    @Test
    void givenScopesTheStoredTokenLacks_acquireToken_refreshesForThem() throws Exception {
        UpstreamTokens signedIn = signIn();
        store.save(alice.principal(), new UpstreamTokens(signedIn.accessToken(), signedIn.refreshToken(), new java.util.TreeSet<>(Set.of("User.Read"))));

        tokens.acquireToken(alice, Set.of("Mail.Send"));

        assertThat(http.tokenRequests()).last().satisfies(s -> assertThat(s.form().get("scope")).contains("Mail.Send"));
    }

    @Test
    void givenARevokedRefreshToken_acquireToken_deletesTheStoredTokensAndAsksForSignIn() throws Exception {
        UpstreamTokens signedIn = signIn();
        store.save(alice.principal(), new UpstreamTokens(AccessToken.of(signedIn.accessToken().value(), Instant.now().minusSeconds(1)),
                signedIn.refreshToken(), signedIn.scopes()));
        mock.revoke(signedIn.refreshToken().orElseThrow().value());

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> tokens.acquireToken(alice, Set.of("User.Read")))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class));
        assertThat(store.load(alice.principal())).isEmpty();
    }

    @Test
    void givenNothingStored_acquireToken_asksForSignIn() {
        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> tokens.acquireToken(Callers.bob(), Set.of("User.Read")))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class));
    }

    /** Alice signs in through the facade's flow; her tokens are stored. */
    private UpstreamTokens signIn() throws Exception {
        UpstreamSignIn signedIn = FacadeSignIn.signIn(entra);
        store.save(signedIn.caller().principal(), signedIn.tokens());
        return signedIn.tokens();
    }
}
