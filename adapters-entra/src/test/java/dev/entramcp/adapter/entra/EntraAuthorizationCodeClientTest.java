package dev.entramcp.adapter.entra;

import dev.entramcp.domain.model.RefreshToken;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UpstreamTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The facade's authorization code + PKCE + refresh, against mock-oauth2-server (which verifies PKCE). */
class EntraAuthorizationCodeClientTest {

    private static final URI CALLBACK = URI.create("https://mcp.example/auth/callback");
    private static final Set<String> GRAPH = Set.of("User.Read", "Mail.Send");

    private static EntraMock mock;

    private final LoopbackHttpClient http = new LoopbackHttpClient();
    private final HeadlessBrowser browser = new HeadlessBrowser();
    private final EntraAuthorizationCodeClient client = new EntraAuthorizationCodeClient(
            ConfidentialClientConfig.of(EntraOnBehalfOfClientTest.SERVER_CLIENT_ID, mock.authority(),
                    new ClientCredentialConfig.ClientSecret("secret-" + UUID.randomUUID())), Optional.of(http));

    @BeforeAll
    static void startMock() {
        mock = EntraMock.startWithShortLivedTokensAndRotation();
    }

    @AfterAll
    static void stopMock() {
        mock.close();
    }

    @Test
    void givenScopesAndACallback_authorizationRequest_buildsAFormPostAuthorizeUrlWithStateNonceAndS256Challenge() {
        UpstreamAuthorization request = client.authorizationRequest(CALLBACK, GRAPH);

        Map<String, String> query = query(request.authorizeUrl());
        assertThat(request.authorizeUrl().toString()).startsWith(mock.authority().url() + "oauth2/v2.0/authorize?");
        assertThat(query)
                .containsEntry("client_id", EntraOnBehalfOfClientTest.SERVER_CLIENT_ID)
                .containsEntry("response_type", "code")
                .containsEntry("redirect_uri", CALLBACK.toString())
                .containsEntry("state", request.state())
                .containsEntry("nonce", request.nonce())
                .containsEntry("code_challenge", request.verifier().s256Challenge())
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("response_mode", "form_post");
        assertThat(query.get("scope").split(" ")).contains("openid", "offline_access", "User.Read", "Mail.Send");
        assertThat(request.authorizeUrl().toString()).doesNotContain(request.verifier().value());
        assertThat(request.toString()).doesNotContain(request.verifier().value());
    }

    @Test
    void givenTwoRequests_authorizationRequest_neverRepeatsStateNonceOrVerifier() {
        UpstreamAuthorization first = client.authorizationRequest(CALLBACK, GRAPH);
        UpstreamAuthorization second = client.authorizationRequest(CALLBACK, GRAPH);

        assertThat(second.state()).isNotEqualTo(first.state());
        assertThat(second.nonce()).isNotEqualTo(first.nonce());
        assertThat(second.verifier().value()).isNotEqualTo(first.verifier().value());
    }

    @Test
    void givenTheCallbacksCode_redeem_returnsTheSignedInUserAndTheirTokensIncludingARefreshToken() throws Exception {
        UpstreamAuthorization request = client.authorizationRequest(CALLBACK, GRAPH);
        Map<String, String> callback = signIn(request);

        UpstreamSignIn signedIn = client.redeem(request, callback.get("code"));

        assertThat(callback.get("state")).isEqualTo(request.state());
        assertThat(signedIn.caller().principal().objectId()).isEqualTo(EntraMock.ALICE);
        assertThat(signedIn.caller().principal().tenantId()).isEqualTo(EntraMock.TENANT);
        assertThat(signedIn.caller().displayName()).isEqualTo("Alice");
        assertThat(signedIn.caller().clientAppId()).isEqualTo(EntraOnBehalfOfClientTest.SERVER_CLIENT_ID);
        assertThat(signedIn.tokens().scopes()).contains("User.Read", "Mail.Send");
        assertThat(signedIn.tokens().refreshToken()).isPresent();
        assertThat(signedIn.tokens().accessToken().isExpiredAt(Instant.now())).isFalse();
        assertThat(http.tokenRequests().get(0).form())
                .containsEntry("grant_type", "authorization_code")
                .containsEntry("code_verifier", request.verifier().value())
                .containsEntry("redirect_uri", CALLBACK.toString());
        assertThat(signedIn.toString()).doesNotContain(signedIn.tokens().accessToken().value());
    }

    @Test
    void givenTheWrongVerifier_redeem_failsWithSignInRequired() throws Exception {
        UpstreamAuthorization request = client.authorizationRequest(CALLBACK, GRAPH);
        String code = signIn(request).get("code");
        UpstreamAuthorization forged = new UpstreamAuthorization(request.authorizeUrl(), request.state(), request.nonce(),
                PkceVerifier.random(), request.redirectUri(), request.scopes());

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client.redeem(forged, code))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class));
    }

    @Test
    void givenAnIdTokenWithAnotherNonce_redeem_failsWithSignInRequired() throws Exception {
        UpstreamAuthorization request = client.authorizationRequest(CALLBACK, GRAPH);
        String code = signIn(request).get("code");
        UpstreamAuthorization otherNonce = new UpstreamAuthorization(request.authorizeUrl(), request.state(), "another-nonce",
                request.verifier(), request.redirectUri(), request.scopes());

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client.redeem(otherNonce, code))
                .satisfies(e -> assertThat(e.failure().userMessage()).contains("did not match the request"));
    }

    @Test
    void givenACodeAlreadyRedeemed_redeem_failsWithSignInRequired() throws Exception {
        UpstreamAuthorization request = client.authorizationRequest(CALLBACK, GRAPH);
        String code = signIn(request).get("code");
        client.redeem(request, code);

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client.redeem(request, code))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class));
    }

    @Test
    void givenARefreshToken_refresh_returnsANewAccessTokenAndTheRotatedRefreshToken() throws Exception {
        UpstreamTokens first = signedInTokens();

        UpstreamTokens refreshed = client.refresh(first.refreshToken().orElseThrow(), Set.of("User.Read"));

        assertThat(refreshed.accessToken().value()).isNotEqualTo(first.accessToken().value());
        assertThat(refreshed.refreshToken()).isPresent();
        assertThat(refreshed.refreshToken().get().value()).isNotEqualTo(first.refreshToken().get().value());
        assertThat(http.tokenRequests()).last().satisfies(s -> assertThat(s.form())
                .containsEntry("grant_type", "refresh_token")
                .containsEntry("refresh_token", first.refreshToken().get().value()));
    }

    @Test
    void givenARevokedRefreshToken_refresh_failsWithSignInRequired() throws Exception {
        RefreshToken refreshToken = signedInTokens().refreshToken().orElseThrow();
        mock.revoke(refreshToken.value());

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client.refresh(refreshToken, Set.of("User.Read")))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(refreshToken.value()));
    }

    UpstreamTokens signedInTokens() throws Exception {
        UpstreamAuthorization request = client.authorizationRequest(CALLBACK, GRAPH);
        return client.redeem(request, signIn(request).get("code")).tokens();
    }

    /** The person signs in at the authorize URL; returns the callback's query (code, state). */
    private Map<String, String> signIn(UpstreamAuthorization request) throws Exception {
        Map<String, String> callback = browser.authorizeAndCapture(request.authorizeUrl());
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
