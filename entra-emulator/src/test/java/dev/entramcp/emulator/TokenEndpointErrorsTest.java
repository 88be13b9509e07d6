package dev.entramcp.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Every refusal of the token endpoint, over raw HTTP, with Entra's status, error and AADSTS code. */
class TokenEndpointErrorsTest {

    private static final String REDIRECT = "http://localhost:7777/callback";
    private static final MutableClock CLOCK = new MutableClock();

    private static EntraEmulator emu;
    private static TestHttp http;
    private static String token;

    @BeforeAll
    static void start() {
        emu = EntraEmulator.builder().clock(CLOCK).build().start();
        emu.control().registerRedirectUri(emu.apps().local().clientId(), REDIRECT);
        http = new TestHttp(emu);
        token = emu.tokenEndpoint().toString();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @BeforeEach
    void reset() {
        emu.control().autoApprove(null);
    }

    // ------------------------------------------------------------------ authorization code

    @Test
    void givenAWrongVerifier_codeRedemption_failsWithAadsts501481() {
        TestHttp.Pkce pkce = TestHttp.Pkce.create();
        String code = code(pkce);

        TestHttp.Response response = http.postForm(token, redeem(code, TestHttp.Pkce.create().verifier()));

        assertEntraError(response, 400, "invalid_grant", 501481);
    }

    @Test
    void givenACodeIssuedWithoutChallenge_redemptionWithAVerifier_isRefusedAsAPkceDowngrade() {
        String url = emu.authorizationEndpoint() + "?" + TestHttp.form(Map.of("client_id",
                emu.apps().remote().clientId(), "response_type", "code", "redirect_uri", "http://localhost/callback",
                "scope", "User.Read"));
        String code = new HeadlessBrowser(emu).signIn(url, "alice").params().get("code");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", emu.apps().remote().clientId());
        form.put("client_secret", emu.apps().remote().clientSecret());
        form.put("code", code);
        form.put("redirect_uri", "http://localhost/callback");
        form.put("code_verifier", TestHttp.Pkce.create().verifier());

        assertEntraError(http.postForm(token, form), 400, "invalid_grant", 501481);
    }

    @Test
    void givenARedeemedCode_secondRedemption_failsWithAadsts54005AndRevokesWhatTheFirstIssued() {
        TestHttp.Pkce pkce = TestHttp.Pkce.create();
        String code = code(pkce);
        Map<String, Object> first = http.postForm(token, redeem(code, pkce.verifier())).json();

        TestHttp.Response replay = http.postForm(token, redeem(code, pkce.verifier()));

        assertEntraError(replay, 400, "invalid_grant", 54005);
        assertEntraError(http.postForm(token, refresh((String) first.get("refresh_token"))), 400, "invalid_grant", 50173);
    }

    @Test
    void givenACodeReplayedWhileItsFirstRedemptionIsBeingChecked_firstRedemption_issuesNothing() {
        TestHttp.Pkce pkce = TestHttp.Pkce.create();
        String code = code(pkce);
        AtomicReference<TestHttp.Response> replay = new AtomicReference<>();
        // The first read of the clock in a redemption is its expiry check, after the code is marked redeemed and
        // before anything is issued: the replay lands exactly there.
        CLOCK.onNextRead(() -> replay.set(http.postForm(token, redeem(code, pkce.verifier()))));

        TestHttp.Response first = http.postForm(token, redeem(code, pkce.verifier()));

        assertEntraError(replay.get(), 400, "invalid_grant", 54005);
        assertEntraError(first, 400, "invalid_grant", 54005);
        assertThat(first.body()).doesNotContain("access_token").doesNotContain("refresh_token");
    }

    @Test
    void givenAnExpiredCode_redemption_failsWithAadsts70008() {
        TestHttp.Pkce pkce = TestHttp.Pkce.create();
        String code = code(pkce);
        CLOCK.advance(Duration.ofMinutes(11));

        TestHttp.Response response = http.postForm(token, redeem(code, pkce.verifier()));

        assertEntraError(response, 400, "invalid_grant", 70008);
    }

    @Test
    void givenAnotherRedirectUri_codeRedemption_failsWithAadsts500112() {
        TestHttp.Pkce pkce = TestHttp.Pkce.create();
        Map<String, String> form = redeem(code(pkce), pkce.verifier());
        form.put("redirect_uri", "http://localhost:7778/callback");

        TestHttp.Response response = http.postForm(token, form);

        assertEntraError(response, 400, "invalid_grant", 500112);
    }

    @Test
    void givenAGarbageCode_redemption_failsWithInvalidGrant() {
        TestHttp.Response response = http.postForm(token, redeem("not-a-code", TestHttp.Pkce.create().verifier()));

        assertEntraError(response, 400, "invalid_grant", 9002313);
    }

    // ------------------------------------------------------------------ client authentication

    @Test
    void givenAWrongSecret_tokenRequest_isA401InvalidClientThatDoesNotEchoTheSecret() {
        TestHttp.Response response = http.postForm(token, Map.of("grant_type", "client_credentials",
                "client_id", emu.apps().remote().clientId(), "client_secret", "wrong-secret-0123456789",
                "scope", EntraEmulator.GRAPH_RESOURCE + "/.default"));

        assertEntraError(response, 401, "invalid_client", 7000215);
        assertThat(response.body()).doesNotContain("wrong-secret-0123456789");
    }

    @Test
    void givenTheSecretInBasicAuth_clientCredentials_succeed() {
        String basic = java.util.Base64.getEncoder().encodeToString((emu.apps().remote().clientId() + ":"
                + emu.apps().remote().clientSecret()).getBytes(java.nio.charset.StandardCharsets.UTF_8));

        TestHttp.Response response = http.postForm(token, Map.of("grant_type", "client_credentials",
                "scope", EntraEmulator.GRAPH_RESOURCE + "/.default"), "Authorization", "Basic " + basic);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).containsKey("access_token").doesNotContainKey("refresh_token");
    }

    @Test
    void givenAConfidentialClientWithoutCredential_tokenRequest_failsWithAadsts7000218() {
        TestHttp.Response response = http.postForm(token, Map.of("grant_type", "client_credentials",
                "client_id", emu.apps().remote().clientId(), "scope", EntraEmulator.GRAPH_RESOURCE + "/.default"));

        assertEntraError(response, 401, "invalid_client", 7000218);
    }

    @Test
    void givenAPublicClientPresentingASecret_tokenRequest_failsWithAadsts700025() {
        TestHttp.Response response = http.postForm(token, Map.of("grant_type", "client_credentials",
                "client_id", emu.apps().local().clientId(), "client_secret", "anything-at-all-12345",
                "scope", EntraEmulator.GRAPH_RESOURCE + "/.default"));

        assertEntraError(response, 401, "invalid_client", 700025);
    }

    @Test
    void givenAPublicClient_clientCredentials_areRefusedBecauseItHasNoCredential() {
        TestHttp.Response response = http.postForm(token, Map.of("grant_type", "client_credentials",
                "client_id", emu.apps().local().clientId(), "scope", EntraEmulator.GRAPH_RESOURCE + "/.default"));

        assertEntraError(response, 401, "invalid_client", 7000218);
    }

    @Test
    void givenAnUnknownClient_tokenRequest_failsWithAadsts700016() {
        TestHttp.Response response = http.postForm(token, Map.of("grant_type", "client_credentials",
                "client_id", "11111111-2222-3333-4444-555555555555", "client_secret", "x-123456789012345",
                "scope", EntraEmulator.GRAPH_RESOURCE + "/.default"));

        assertEntraError(response, 400, "unauthorized_client", 700016);
    }

    @Test
    void givenAnAssertionWithASha1ThumbprintForAnotherAudience_clientCredentials_failWithAadsts50027() throws Exception {
        java.security.KeyPair keys = Fixtures.rsaKeyPair();
        java.security.cert.X509Certificate certificate = Fixtures.certificate(keys);
        emu.control().registerClientCertificate(emu.apps().remote().clientId(), certificate);

        TestHttp.Response wrongAudience = http.postForm(token, assertionGrant(keys, certificate,
                "https://login.microsoftonline.com/common/oauth2/v2.0/token", 300));
        TestHttp.Response expired = http.postForm(token, assertionGrant(keys, certificate, token, -600));
        TestHttp.Response good = http.postForm(token, assertionGrant(keys, certificate, token, 300));

        assertEntraError(wrongAudience, 401, "invalid_client", 50027);
        assertEntraError(expired, 401, "invalid_client", 700024);
        assertThat(good.status()).as(good.body()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ request shape

    @Test
    void givenAnUnsupportedGrant_tokenRequest_failsWithAadsts70003() {
        TestHttp.Response response = http.postForm(token, Map.of("grant_type", "password",
                "client_id", emu.apps().local().clientId()));

        assertEntraError(response, 400, "unsupported_grant_type", 70003);
    }

    @Test
    void givenADuplicatedParameter_tokenRequest_failsWithAadsts9000411() {
        TestHttp.Response response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(token))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id=a&client_id=b")));

        assertEntraError(response, 400, "invalid_request", 9000411);
    }

    @Test
    void givenAGet_tokenEndpoint_answersAadsts900561() {
        assertEntraError(http.get(token), 400, "invalid_request", 900561);
    }

    @Test
    void givenClientCredentialsWithoutDotDefault_tokenRequest_failsWithAadsts1002012() {
        TestHttp.Response response = http.postForm(token, Map.of("grant_type", "client_credentials",
                "client_id", emu.apps().remote().clientId(), "client_secret", emu.apps().remote().clientSecret(),
                "scope", "User.Read"));

        assertEntraError(response, 400, "invalid_scope", 1002012);
    }

    @Test
    void givenScopesOfTwoResources_request_failsWithAadsts28000() {
        TestHttp.Response response = http.postForm(deviceCodeEndpoint(), Map.of("client_id",
                emu.apps().demo().clientId(), "scope", "User.Read " + emu.apps().remote().appIdUri() + "/User.Read"));

        assertEntraError(response, 400, "invalid_scope", 28000);
    }

    @Test
    void givenAScopeTheResourceDoesNotExpose_request_failsWithAadsts650053() {
        TestHttp.Response response = http.postForm(deviceCodeEndpoint(), Map.of("client_id",
                emu.apps().demo().clientId(), "scope", emu.apps().remote().appIdUri() + "/Files.ReadWrite"));

        assertEntraError(response, 400, "invalid_scope", 650053);
    }

    @Test
    void givenAnUnknownResource_request_failsWithAadsts500011() {
        TestHttp.Response response = http.postForm(deviceCodeEndpoint(), Map.of("client_id",
                emu.apps().demo().clientId(), "scope", "api://nobody/User.Read"));

        assertEntraError(response, 400, "invalid_resource", 500011);
    }

    @Test
    void givenAnUnknownTenant_tokenRequest_failsWithAadsts90002() {
        String other = emu.baseUrl() + "/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token";

        assertEntraError(http.postForm(other, Map.of("grant_type", "client_credentials")), 400, "invalid_tenant", 90002);
    }

    @Test
    void givenAnyRefusal_body_isShapedLikeEntrasAndNeverCached() {
        TestHttp.Response response = http.postForm(token, Map.of("grant_type", "password"),
                "client-request-id", "5a8b0d33-0c4b-4f7e-9d11-1f2e3d4c5b6a");

        Map<String, Object> body = response.json();
        assertThat(body.get("error_description").toString())
                .startsWith("AADSTS70003: The app requested an unsupported grant type 'password'.")
                .contains("Trace ID: " + body.get("trace_id"))
                .contains("Correlation ID: 5a8b0d33-0c4b-4f7e-9d11-1f2e3d4c5b6a");
        assertThat(body).containsEntry("correlation_id", "5a8b0d33-0c4b-4f7e-9d11-1f2e3d4c5b6a");
        assertThat(body.get("timestamp").toString()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ");
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(response.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    }

    // ------------------------------------------------------------------ refresh tokens

    @Test
    void givenARotatedRefreshToken_reuse_failsAndRevokesTheWholeFamily() {
        Map<String, Object> tokens = deviceTokens("alice", emu.apps().local().clientId(), "User.Read offline_access");
        String first = (String) tokens.get("refresh_token");
        Map<String, Object> rotated = http.postForm(token, refresh(first)).json();

        TestHttp.Response reuse = http.postForm(token, refresh(first));

        assertThat(rotated.get("refresh_token")).isNotNull().isNotEqualTo(first);
        assertEntraError(reuse, 400, "invalid_grant", 70000);
        assertEntraError(http.postForm(token, refresh((String) rotated.get("refresh_token"))), 400, "invalid_grant",
                50173);
    }

    @Test
    void givenAnExpiredRefreshToken_refresh_failsWithAadsts700082() {
        Map<String, Object> tokens = deviceTokens("alice", emu.apps().local().clientId(), "User.Read offline_access");
        CLOCK.advance(Duration.ofDays(91));

        TestHttp.Response response = http.postForm(token, refresh((String) tokens.get("refresh_token")));

        assertEntraError(response, 400, "invalid_grant", 700082);
    }

    @Test
    void givenWithdrawnConsent_refresh_failsWithConsentRequired() {
        Map<String, Object> tokens = deviceTokens("bob", emu.apps().local().clientId(), "User.Read offline_access");
        emu.control().withdrawConsent("bob", emu.apps().local().clientId());

        TestHttp.Response response = http.postForm(token, refresh((String) tokens.get("refresh_token")));

        assertEntraError(response, 400, "invalid_grant", 65001);
        assertThat(response.json()).containsEntry("suberror", "consent_required");
    }

    @Test
    void givenARefreshTokenOfAnotherClient_refresh_failsWithInvalidGrant() {
        Map<String, Object> tokens = deviceTokens("alice", emu.apps().local().clientId(), "User.Read offline_access");
        Map<String, String> form = refresh((String) tokens.get("refresh_token"));
        form.put("client_id", emu.apps().demo().clientId());

        assertEntraError(http.postForm(token, form), 400, "invalid_grant", 70000);
    }

    @Test
    void givenAUserUnderAnMfaPolicy_refresh_failsWithAadsts50076AClaimsChallengeAndKeepsTheRefreshToken() {
        Map<String, Object> tokens = deviceTokens("alice", emu.apps().local().clientId(), "User.Read offline_access");
        String refreshToken = (String) tokens.get("refresh_token");
        String policyId = emu.control().requireMfa("alice");

        TestHttp.Response refused;
        try {
            refused = http.postForm(token, refresh(refreshToken));
        } finally {
            emu.control().clearMfaRequirement("alice");
        }
        TestHttp.Response afterMfa = http.postForm(token, refresh(refreshToken));

        assertEntraError(refused, 400, "invalid_grant", 50076);
        assertThat(refused.json()).containsEntry("suberror", "basic_action")
                .containsEntry("claims", "{\"access_token\":{\"capolids\":{\"essential\":true,\"values\":[\""
                        + policyId + "\"]}}}");
        assertThat((String) refused.json().get("error_description"))
                .contains("must use multi-factor authentication to access '" + EntraEmulator.GRAPH_APP_ID + "'");
        assertThat(afterMfa.status()).isEqualTo(200);
        assertThat(afterMfa.json()).containsKey("access_token");
    }

    // ------------------------------------------------------------------ On-Behalf-Of

    @Test
    void givenAForeignAssertion_onBehalfOf_failsWithAadsts50013() {
        String graphToken = emu.control().issueAccessToken("alice", emu.apps().local().clientId(), "User.Read");

        assertEntraError(http.postForm(token, obo(graphToken)), 400, "invalid_grant", 50013);
    }

    @Test
    void givenAnExpiredAssertion_onBehalfOf_failsWithAadsts500133() {
        Map<String, Object> claims = emu.control().accessTokenClaims("alice", emu.apps().demo().clientId(),
                emu.apps().remote().appIdUri() + "/User.Read");
        claims.put("exp", CLOCK.instant().minusSeconds(60).getEpochSecond());

        assertEntraError(http.postForm(token, obo(emu.control().signJwt(claims))), 400, "invalid_grant", 500133);
    }

    @Test
    void givenAnUnsignedAssertion_onBehalfOf_isRefused() {
        Map<String, Object> claims = emu.control().accessTokenClaims("alice", emu.apps().demo().clientId(),
                emu.apps().remote().appIdUri() + "/User.Read");

        String unsigned = emu.control().signJwt(Map.of("alg", "none"), claims);

        assertEntraError(http.postForm(token, obo(unsigned)), 400, "invalid_grant", 50027);
    }

    @Test
    void givenAnAppOnlyAssertion_onBehalfOf_isRefused() {
        String appToken = emu.control().issueAppToken(emu.apps().remote().clientId(), emu.apps().remote().appIdUri());

        assertEntraError(http.postForm(token, obo(appToken)), 400, "invalid_grant", 50013);
    }

    @Test
    void givenAUserUnderAnMfaPolicy_onBehalfOf_answersInteractionRequiredWithAClaimsChallenge() {
        String assertion = emu.control().issueAccessToken("bob", emu.apps().demo().clientId(),
                emu.apps().remote().appIdUri() + "/User.Read");
        String policyId = emu.control().requireMfa("bob");

        TestHttp.Response refused;
        try {
            refused = http.postForm(token, obo(assertion));
        } finally {
            emu.control().clearMfaRequirement("bob");
        }

        assertEntraError(refused, 400, "interaction_required", 50076);
        assertThat(refused.json()).doesNotContainKey("suberror").doesNotContainKey("access_token")
                .containsEntry("claims", "{\"access_token\":{\"capolids\":{\"essential\":true,\"values\":[\""
                        + policyId + "\"]}}}");
        assertThat(http.postForm(token, obo(assertion)).status()).isEqualTo(200);
    }

    @Test
    void givenAnotherUserUnderAnMfaPolicy_onBehalfOf_isUnaffected() {
        String assertion = emu.control().issueAccessToken("alice", emu.apps().demo().clientId(),
                emu.apps().remote().appIdUri() + "/User.Read");
        emu.control().requireMfa("bob");

        TestHttp.Response response;
        try {
            response = http.postForm(token, obo(assertion));
        } finally {
            emu.control().clearMfaRequirement("bob");
        }

        assertThat(response.status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ device code

    @Test
    void givenAPendingDeviceCode_poll_answersAuthorizationPending() {
        String deviceCode = deviceCode(emu.apps().local().clientId(), "User.Read");

        assertEntraError(http.postForm(token, poll(deviceCode, "device_code")), 400, "authorization_pending", 70016);
    }

    @Test
    void givenAPollFasterThanTheInterval_deviceCode_answersSlowDown() {
        String deviceCode = deviceCode(emu.apps().local().clientId(), "User.Read");
        http.postForm(token, poll(deviceCode, "device_code"));

        TestHttp.Response tooFast = http.postForm(token, poll(deviceCode, "device_code"));

        assertEntraError(tooFast, 400, "slow_down", 70016);
        CLOCK.advance(Duration.ofSeconds(5));
        // RFC 8628 3.5: every slow_down makes the interval 5 seconds longer (10 s, then 15 s here)
        assertEntraError(http.postForm(token, poll(deviceCode, "device_code")), 400, "slow_down", 70016);
        CLOCK.advance(Duration.ofSeconds(15));
        assertEntraError(http.postForm(token, poll(deviceCode, "device_code")), 400, "authorization_pending", 70016);
    }

    @Test
    void givenAnExpiredDeviceCode_poll_answersExpiredToken() {
        String deviceCode = deviceCode(emu.apps().local().clientId(), "User.Read");
        CLOCK.advance(Duration.ofMinutes(16));

        assertEntraError(http.postForm(token, poll(deviceCode, "device_code")), 400, "expired_token", 70020);
    }

    @Test
    void givenTheRfc8628GrantUrn_poll_isAnsweredLikeEntrasShortForm() {
        emu.control().autoApprove("alice");
        String deviceCode = deviceCode(emu.apps().local().clientId(), "User.Read openid");

        TestHttp.Response response = http.postForm(token, poll(deviceCode,
                "urn:ietf:params:oauth:grant-type:device_code"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).containsKeys("access_token", "id_token").doesNotContainKey("client_info");
        assertEntraError(http.postForm(token, poll(deviceCode, "device_code")), 400, "invalid_grant", 70000);
    }

    @Test
    void givenADeviceCodeOfAnotherClient_poll_failsWithInvalidGrant() {
        String deviceCode = deviceCode(emu.apps().local().clientId(), "User.Read");
        Map<String, String> form = poll(deviceCode, "device_code");
        form.put("client_id", emu.apps().demo().clientId());

        assertEntraError(http.postForm(token, form), 400, "invalid_grant", 70000);
    }

    // ------------------------------------------------------------------ helpers

    static void assertEntraError(TestHttp.Response response, int status, String error, int code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        Map<String, Object> body = response.json();
        assertThat(body).containsEntry("error", error).containsKeys("timestamp", "trace_id", "correlation_id");
        assertThat(body.get("error_description").toString()).startsWith("AADSTS" + code + ": ");
        assertThat(body.get("error_codes")).isEqualTo(List.of((long) code));
    }

    /** A client assertion as RFC 7523 describes it, with the certificate's SHA-1 thumbprint in {@code x5t}. */
    @SuppressWarnings("deprecation") // x5t (SHA-1) is deprecated in nimbus, still sent by older Entra clients
    private static Map<String, String> assertionGrant(java.security.KeyPair keys,
                                                      java.security.cert.X509Certificate certificate, String audience,
                                                      long expiresInSeconds) throws Exception {
        String clientId = emu.apps().remote().clientId();
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256)
                        .x509CertThumbprint(com.nimbusds.jose.util.Base64URL.encode(
                                java.security.MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded())))
                        .build(),
                new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                        .jwtID(java.util.UUID.randomUUID().toString())
                        .expirationTime(java.util.Date.from(CLOCK.instant().plusSeconds(expiresInSeconds))).build());
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(keys.getPrivate()));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", jwt.serialize());
        form.put("scope", EntraEmulator.GRAPH_RESOURCE + "/.default");
        return form;
    }

    private static String deviceCodeEndpoint() {
        return emu.deviceCodeEndpoint().toString();
    }

    private static String code(TestHttp.Pkce pkce) {
        String url = emu.authorizationEndpoint() + "?" + TestHttp.form(Map.of("client_id",
                emu.apps().local().clientId(), "response_type", "code", "redirect_uri", REDIRECT,
                "scope", "openid offline_access User.Read", "code_challenge", pkce.challenge(),
                "code_challenge_method", "S256", "state", "s1"));
        return new HeadlessBrowser(emu).signIn(url, "alice").params().get("code");
    }

    private static Map<String, String> redeem(String code, String verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", emu.apps().local().clientId());
        form.put("code", code);
        form.put("redirect_uri", REDIRECT);
        form.put("code_verifier", verifier);
        return form;
    }

    private static Map<String, String> refresh(String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", emu.apps().local().clientId());
        form.put("refresh_token", refreshToken);
        return form;
    }

    private static Map<String, String> obo(String assertion) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        form.put("client_id", emu.apps().remote().clientId());
        form.put("client_secret", emu.apps().remote().clientSecret());
        form.put("assertion", assertion);
        form.put("requested_token_use", "on_behalf_of");
        form.put("scope", "https://graph.microsoft.com/.default");
        return form;
    }

    private static String deviceCode(String clientId, String scope) {
        return (String) http.postForm(deviceCodeEndpoint(), Map.of("client_id", clientId, "scope", scope)).json()
                .get("device_code");
    }

    private static Map<String, String> poll(String deviceCode, String grantType) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", grantType);
        form.put("client_id", emu.apps().local().clientId());
        form.put("device_code", deviceCode);
        return form;
    }

    private static Map<String, Object> deviceTokens(String user, String clientId, String scope) {
        emu.control().autoApprove(user);
        String deviceCode = deviceCode(clientId, scope);
        Map<String, String> form = poll(deviceCode, "device_code");
        form.put("client_id", clientId);
        TestHttp.Response response = http.postForm(token, form);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        emu.control().autoApprove(null);
        return response.json();
    }
}
