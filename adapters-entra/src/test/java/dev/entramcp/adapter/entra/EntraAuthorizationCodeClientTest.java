package dev.entramcp.adapter.entra;

import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.RefreshToken;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UpstreamSignIn;
import dev.entramcp.domain.model.UpstreamTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static dev.entramcp.adapter.entra.FacadeSignIn.CALLBACK;
import static dev.entramcp.adapter.entra.FacadeSignIn.GRAPH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The facade's {@code UpstreamAuthorizationPort}: authorization code + PKCE + refresh, against
 * mock-oauth2-server (which verifies PKCE and rotates refresh tokens).
 */
class EntraAuthorizationCodeClientTest {

    private static EntraMock mock;

    private final LoopbackHttpClient http = new LoopbackHttpClient();
    private final EntraAuthorizationCodeClient client = new EntraAuthorizationCodeClient(
            ConfidentialClientConfig.of(EntraOnBehalfOfClientTest.SERVER_CLIENT_ID, mock.authority(),
                    new ClientCredentialConfig.ClientSecret("secret-" + UUID.randomUUID())), GRAPH, Optional.of(http));
    private final HeadlessBrowser browser = new HeadlessBrowser();

    @BeforeAll
    static void startMock() {
        mock = EntraMock.startWithShortLivedTokensAndRotation();
    }

    @AfterAll
    static void stopMock() {
        mock.close();
    }

    @Test
    void givenTheFacadesRequest_authorizationUrl_carriesItsStateNonceAndS256ChallengeAsAFormPostRequest() {
        FacadeSignIn.Pending pending = FacadeSignIn.newRequest();

        URI url = client.authorizationUrl(pending.request());

        Map<String, String> query = query(url);
        assertThat(url.toString()).startsWith(mock.authority().url() + "oauth2/v2.0/authorize?");
        assertThat(query)
                .containsEntry("client_id", EntraOnBehalfOfClientTest.SERVER_CLIENT_ID)
                .containsEntry("response_type", "code")
                .containsEntry("redirect_uri", CALLBACK.toString())
                .containsEntry("state", pending.request().state())
                .containsEntry("nonce", pending.request().nonce())
                .containsEntry("code_challenge", pending.verifier().s256Challenge())
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("response_mode", "form_post");
        assertThat(query.get("scope").split(" ")).contains("openid", "offline_access", "User.Read", "Mail.Send");
        assertThat(url.toString()).doesNotContain(pending.verifier().value());
    }

    @Test
    void givenTheCallbacksCode_redeem_returnsTheSignedInUserWithRolesAndTheirTokensIncludingARefreshToken() throws Exception {
        FacadeSignIn.Pending pending = FacadeSignIn.newRequest();
        Map<String, String> callback = signIn(pending);

        UpstreamSignIn signedIn = client.redeem(callback.get("code"), pending.verifier().value(), CALLBACK,
                pending.request().nonce());

        assertThat(callback.get("state")).isEqualTo(pending.request().state());
        assertThat(signedIn.user().principal().objectId()).isEqualTo(EntraMock.ALICE);
        assertThat(signedIn.user().principal().tenantId()).isEqualTo(EntraMock.TENANT);
        assertThat(signedIn.user().displayName()).isEqualTo("Alice");
        assertThat(signedIn.user().roles()).containsExactly("Mail.Sender");
        assertThat(signedIn.user().clientAppId()).isEqualTo(EntraOnBehalfOfClientTest.SERVER_CLIENT_ID);
        assertThat(signedIn.tokens().scopes()).contains("User.Read", "Mail.Send");
        assertThat(signedIn.tokens().refreshToken()).isPresent();
        assertThat(signedIn.tokens().accessToken().isExpiredAt(Instant.now())).isFalse();
        assertThat(http.tokenRequests().get(0).form())
                .containsEntry("grant_type", "authorization_code")
                .containsEntry("code_verifier", pending.verifier().value())
                .containsEntry("redirect_uri", CALLBACK.toString());
        assertThat(signedIn.toString()).doesNotContain(signedIn.tokens().accessToken().value());
    }

    @Test
    void givenTheWrongVerifier_redeem_failsWithSignInRequired() throws Exception {
        FacadeSignIn.Pending pending = FacadeSignIn.newRequest();
        String code = signIn(pending).get("code");

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client.redeem(code, PkceVerifier.random().value(), CALLBACK, pending.request().nonce()))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class));
    }

    @Test
    void givenAnIdTokenWithAnotherNonce_redeem_failsWithSignInRequired() throws Exception {
        FacadeSignIn.Pending pending = FacadeSignIn.newRequest();
        String code = signIn(pending).get("code");

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client.redeem(code, pending.verifier().value(), CALLBACK, PkceVerifier.randomToken()))
                .satisfies(e -> assertThat(e.failure().userMessage()).contains("did not match the request"));
    }

    @Test
    void givenACodeAlreadyRedeemed_redeem_failsWithSignInRequired() throws Exception {
        FacadeSignIn.Pending pending = FacadeSignIn.newRequest();
        String code = signIn(pending).get("code");
        client.redeem(code, pending.verifier().value(), CALLBACK, pending.request().nonce());

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client.redeem(code, pending.verifier().value(), CALLBACK, pending.request().nonce()))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class));
    }

    @Test
    void givenStoredTokens_refresh_returnsANewAccessTokenAndTheRotatedRefreshTokenForTheSameScopes() throws Exception {
        UpstreamTokens first = FacadeSignIn.signIn(client).tokens();

        UpstreamTokens refreshed = client.refresh(first).tokens();

        assertThat(refreshed.accessToken().value()).isNotEqualTo(first.accessToken().value());
        assertThat(refreshed.refreshToken()).isPresent();
        assertThat(refreshed.refreshToken().get().value()).isNotEqualTo(first.refreshToken().get().value());
        assertThat(refreshed.scopes()).isEqualTo(first.scopes());
        assertThat(http.tokenRequests()).last().satisfies(s -> assertThat(s.form())
                .containsEntry("grant_type", "refresh_token")
                .containsEntry("refresh_token", first.refreshToken().get().value()));
        assertThat(http.tokenRequests().get(http.tokenRequests().size() - 1).form().get("scope").split(" "))
                .contains("User.Read", "Mail.Send");
    }

    @Test
    void givenARoleRemovedAtEntraSinceTheSignIn_refresh_returnsTheUserWithTheRolesOfTheNewIdToken() throws Exception {
        UpstreamSignIn signedIn = FacadeSignIn.signIn(client);
        assertThat(signedIn.user().roles()).containsExactly("Mail.Sender");
        mock.nextTokensWithRoles(List.of());

        UpstreamSignIn refreshed = client.refresh(signedIn.tokens());

        assertThat(refreshed.user().principal()).isEqualTo(signedIn.user().principal());
        assertThat(refreshed.user().displayName()).isEqualTo("Alice");
        assertThat(refreshed.user().roles()).isEmpty();
        assertThat(refreshed.tokens().accessToken().value()).isNotEqualTo(signedIn.tokens().accessToken().value());
    }

    @Test
    void givenARefreshAnsweredWithoutAnIdToken_refresh_failsWithSignInRequired() {
        UpstreamTokens tokens = storedTokens("a-refresh-token");
        http.respondOnce(LoopbackHttpClient.Sent::isTokenRequest, 200, LoopbackHttpClient.headers(),
                "{\"token_type\":\"Bearer\",\"access_token\":\"new-access\",\"expires_in\":3600,"
                        + "\"scope\":\"User.Read\",\"refresh_token\":\"new-refresh\"}");

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client.refresh(tokens))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("new-access").doesNotContain("new-refresh"));
    }

    @Test
    void givenARevokedRefreshToken_refresh_failsWithSignInRequiredWithoutTheToken() throws Exception {
        UpstreamTokens tokens = FacadeSignIn.signIn(client).tokens();
        RefreshToken refreshToken = tokens.refreshToken().orElseThrow();
        mock.revoke(refreshToken.value());

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client.refresh(tokens))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(refreshToken.value()));
    }

    @Test
    void givenConsentWithdrawnUpstream_refresh_failsWithSignInRequiredAsThePortPromises() {
        UpstreamTokens tokens = storedTokens("a-refresh-token");
        http.respondOnce(LoopbackHttpClient.Sent::isTokenRequest, 400, LoopbackHttpClient.headers(),
                "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS65001: The user or administrator has not"
                        + " consented to use the application.\",\"suberror\":\"consent_required\"}");

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client.refresh(tokens))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class))
                .satisfies(e -> assertThat(e.failure().userMessage()).contains("withdrawn"));
    }

    @Test
    void givenEntraThrottles_refresh_failsWithThrottledSoThatTheTokensAreKept() {
        UpstreamTokens tokens = storedTokens("a-refresh-token");
        http.respondOnce(LoopbackHttpClient.Sent::isTokenRequest, 429, LoopbackHttpClient.headers("Retry-After", "7"),
                "{\"error\":\"temporarily_unavailable\",\"error_description\":\"AADSTS50196: slow down\"}");

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client.refresh(tokens))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.Throttled.class));
    }

    @Test
    void givenTokensWithoutARefreshToken_refresh_failsWithSignInRequiredWithoutCallingEntra() {
        UpstreamTokens tokens = new UpstreamTokens(AccessToken.of("expired", Instant.now().minusSeconds(5)),
                Optional.empty(), new TreeSet<>(GRAPH));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client.refresh(tokens))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class));
        assertThat(http.tokenRequests()).isEmpty();
    }

    private static UpstreamTokens storedTokens(String refreshToken) {
        return UpstreamTokens.of(AccessToken.of("expired", Instant.now().minusSeconds(5)), RefreshToken.of(refreshToken),
                Set.of("User.Read"));
    }

    /** The person signs in at the authorize URL; returns what the browser posts back (code, state). */
    private Map<String, String> signIn(FacadeSignIn.Pending pending) throws Exception {
        Map<String, String> callback = browser.authorizeAndCapture(client.authorizationUrl(pending.request()));
        assertThat(callback.get("action")).isEqualTo(CALLBACK.toString());
        return callback;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }
}
