package dev.entramcp.adapter.entra;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** On-Behalf-Of against mock-oauth2-server (jwt-bearer grant), with Entra's errors faked where it cannot make them. */
class EntraOnBehalfOfClientTest {

    static final String SERVER_CLIENT_ID = "5e5e5e5e-0000-4000-8000-000000000005";
    private static final Set<String> GRAPH = Set.of("User.Read");
    /** A second tenant, as a multi-tenant server's allow-list would name it. */
    private static final String OTHER_TENANT = "22222222-3333-4444-5555-666666666666";

    private static EntraMock mock;

    @TempDir
    Path dir;

    private final String secret = "test-secret-" + UUID.randomUUID();
    private final LoopbackHttpClient http = new LoopbackHttpClient();

    @BeforeAll
    static void startMock() {
        mock = EntraMock.start();
    }

    @AfterAll
    static void stopMock() {
        mock.close();
    }

    @Test
    void givenACallerWithAnInboundToken_acquireToken_exchangesItOnBehalfOfTheCallerForAGraphToken() throws Exception {
        String inbound = mock.inboundUserToken(EntraMock.ALICE, "api://entra-mcp");

        AccessToken token = client().acquireToken(alice(inbound), GRAPH);

        LoopbackHttpClient.Sent exchange = http.tokenRequests().get(0);
        assertThat(exchange.form())
                .containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
                .containsEntry("requested_token_use", "on_behalf_of")
                .containsEntry("assertion", inbound)
                .containsEntry("client_id", SERVER_CLIENT_ID)
                .containsEntry("client_secret", secret);
        assertThat(exchange.form().get("scope")).contains("User.Read");
        assertThat(token.value()).isNotEqualTo(inbound);
        assertThat(JWTParser.parse(token.value()).getJWTClaimsSet().getAudience()).doesNotContain("api://entra-mcp");
        assertThat(token.isExpiredAt(Instant.now())).isFalse();
    }

    @Test
    void givenAnInboundToken_itIsSentNowhereButAsTheAssertionToTheTokenEndpoint() {
        String inbound = mock.inboundUserToken(EntraMock.ALICE, "api://entra-mcp");

        client().acquireToken(alice(inbound), GRAPH);

        List<LoopbackHttpClient.Sent> carrying = http.sent().stream()
                .filter(s -> String.valueOf(s.body()).contains(inbound) || s.url().toString().contains(inbound)
                        || s.headers().values().stream().anyMatch(v -> v.contains(inbound)))
                .toList();
        assertThat(carrying).singleElement().satisfies(s -> {
            assertThat(URI.create(mock.authority().tokenEndpoint().toString()).getPath()).isEqualTo(s.url().getPath());
            assertThat(s.form()).containsEntry("assertion", inbound);
            assertThat(s.form().entrySet()).filteredOn(e -> e.getValue().contains(inbound)).hasSize(1);
        });
    }

    @Test
    void givenTheSameInboundTokenAgain_acquireToken_isServedFromThatPrincipalsCache() {
        EntraOnBehalfOfClient client = client();
        String inbound = mock.inboundUserToken(EntraMock.ALICE, "api://entra-mcp");

        AccessToken first = client.acquireToken(alice(inbound), GRAPH);
        AccessToken second = client.acquireToken(alice(inbound), GRAPH);

        assertThat(second.value()).isEqualTo(first.value());
        assertThat(http.tokenRequests()).hasSize(1);
    }

    @Test
    void givenACachedTokenAboutToExpire_acquireToken_exchangesAgain() {
        MutableClock clock = new MutableClock(Instant.now());
        EntraOnBehalfOfClient client = new EntraOnBehalfOfClient(config(new ClientCredentialConfig.ClientSecret(secret)), Optional.of(http), clock);
        String inbound = mock.inboundUserToken(EntraMock.ALICE, "api://entra-mcp");
        AccessToken first = client.acquireToken(alice(inbound), GRAPH);

        clock.set(first.expiresAt().minus(Duration.ofMinutes(4)));
        AccessToken second = client.acquireToken(alice(inbound), GRAPH);

        assertThat(second.value()).isNotEqualTo(first.value());
        assertThat(http.tokenRequests()).hasSize(2);
    }

    @Test
    void givenAnotherPrincipalPresentingTheSameToken_acquireToken_neverGetsTheFirstPrincipalsCachedToken() {
        EntraOnBehalfOfClient client = client();
        String inbound = mock.inboundUserToken(EntraMock.ALICE, "api://entra-mcp");
        AccessToken alices = client.acquireToken(alice(inbound), GRAPH);

        AccessToken bobs = client.acquireToken(Callers.aCaller().withObjectId(Callers.BOB_OID).withAssertion(inbound).build(), GRAPH);

        assertThat(bobs.value()).isNotEqualTo(alices.value());
        assertThat(http.tokenRequests()).hasSize(2);
    }

    @Test
    void givenMorePrincipalsThanTheBound_acquireToken_keepsOnlyTheMostRecentCaches() {
        EntraOnBehalfOfClient client = new EntraOnBehalfOfClient(config(new ClientCredentialConfig.ClientSecret(secret))
                .withMaxCachedPrincipals(2), Optional.of(http));

        for (String oid : List.of(Callers.ALICE_OID, Callers.BOB_OID, "cccccccc-0000-0000-0000-00000000000c")) {
            client.acquireToken(Callers.aCaller().withObjectId(oid).withAssertion(mock.inboundUserToken(oid, "api://entra-mcp")).build(), GRAPH);
        }

        assertThat(client.cachedPrincipals()).isEqualTo(2);
    }

    @Test
    void givenACallerOfAnotherAllowedTenant_acquireToken_asksThatTenantsAuthorityNotTheHomeTenants() throws Exception {
        EntraOnBehalfOfClient client = new EntraOnBehalfOfClient(config(new ClientCredentialConfig.ClientSecret(secret))
                .withTenants(List.of(EntraMock.TENANT, OTHER_TENANT)), Optional.of(http));
        String inbound = mock.inboundUserTokenOfTenant(OTHER_TENANT, Callers.BOB_OID, "api://entra-mcp");

        AccessToken token = client.acquireToken(bobOfTheOtherTenant(inbound), GRAPH);

        assertThat(http.tokenRequests()).singleElement().satisfies(exchange -> {
            assertThat(exchange.url().getPath()).isEqualTo("/" + OTHER_TENANT + "/oauth2/v2.0/token");
            assertThat(exchange.form()).containsEntry("assertion", inbound);
        });
        assertThat(JWTParser.parse(token.value()).getJWTClaimsSet().getIssuer()).contains("/" + OTHER_TENANT + "/");
    }

    @Test
    void givenACallerOfAnotherAllowedTenantWithoutConsent_acquireToken_carriesTheAdminConsentUrlOfThatTenant() {
        EntraOnBehalfOfClient client = new EntraOnBehalfOfClient(config(new ClientCredentialConfig.ClientSecret(secret))
                .withTenants(List.of(EntraMock.TENANT, OTHER_TENANT)), Optional.of(http));
        fakeTokenEndpointError(400, "invalid_grant", "AADSTS65001: The user or administrator has not consented to use the application.", "consent_required");

        ToolFailure failure = failureOf(() -> client.acquireToken(
                bobOfTheOtherTenant(mock.inboundUserTokenOfTenant(OTHER_TENANT, Callers.BOB_OID, "api://entra-mcp")), GRAPH));

        assertThat(failure).isInstanceOf(ToolFailure.ConsentRequired.class);
        assertThat(((ToolFailure.ConsentRequired) failure).consentUrl().orElseThrow().toString())
                .startsWith(mock.authority().forTenant(OTHER_TENANT).url() + "v2.0/adminconsent?client_id=" + SERVER_CLIENT_ID);
    }

    @Test
    void givenACallerOfATenantNotConfigured_acquireToken_refusesWithoutAskingAnyAuthority() {
        String inbound = mock.inboundUserTokenOfTenant(OTHER_TENANT, Callers.BOB_OID, "api://entra-mcp");

        ToolFailure failure = failureOf(() -> client().acquireToken(bobOfTheOtherTenant(inbound), GRAPH));

        assertThat(failure).isInstanceOf(ToolFailure.DownstreamUnavailable.class);
        assertThat(failure.userMessage()).contains("not configured to act for users of your organisation's tenant");
        assertThat(http.sent()).isEmpty();
    }

    @Test
    void givenACallerWithoutAnInboundToken_acquireToken_failsWithSignInRequired() {
        CallerIdentity noToken = Callers.aCaller().withObjectId(EntraMock.ALICE).build();

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client().acquireToken(noToken, GRAPH))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class));
        assertThat(http.sent()).isEmpty();
    }

    @Test
    void givenACertificateInPkcs12_acquireToken_authenticatesWithASignedClientAssertion() throws Exception {
        TestCredentials credentials = new TestCredentials();
        Path pkcs12 = credentials.writePkcs12(dir.resolve("server.p12"));
        EntraOnBehalfOfClient client = new EntraOnBehalfOfClient(
                config(new ClientCredentialConfig.Certificate(pkcs12, Optional.of(TestCredentials.CERTIFICATE_PASSWORD))), Optional.of(http));

        client.acquireToken(alice(mock.inboundUserToken(EntraMock.ALICE, "api://entra-mcp")), GRAPH);

        assertSignedClientAssertion(credentials);
    }

    @Test
    void givenACertificateInPem_acquireToken_authenticatesWithASignedClientAssertion() throws Exception {
        TestCredentials credentials = new TestCredentials();
        Path pem = credentials.writePem(dir.resolve("server.pem"));
        EntraOnBehalfOfClient client = new EntraOnBehalfOfClient(
                config(new ClientCredentialConfig.Certificate(pem, Optional.empty())), Optional.of(http));

        client.acquireToken(alice(mock.inboundUserToken(EntraMock.ALICE, "api://entra-mcp")), GRAPH);

        assertSignedClientAssertion(credentials);
    }

    @Test
    void givenAFederatedTokenFile_acquireToken_readsTheRotatedTokenAfreshForEveryRequest() throws Exception {
        Path tokenFile = dir.resolve("azure-identity-token");
        String firstAssertion = TestCredentials.clientAssertion(SERVER_CLIENT_ID, mock.authority().tokenEndpoint().toString());
        String rotatedAssertion = TestCredentials.clientAssertion(SERVER_CLIENT_ID, mock.authority().tokenEndpoint().toString());
        Files.writeString(tokenFile, firstAssertion + "\n");
        EntraOnBehalfOfClient client = new EntraOnBehalfOfClient(config(new ClientCredentialConfig.FederatedToken(tokenFile)), Optional.of(http));

        client.acquireToken(alice(mock.inboundUserToken(EntraMock.ALICE, "api://entra-mcp")), GRAPH);
        Files.writeString(tokenFile, rotatedAssertion);
        client.acquireToken(Callers.aCaller().withObjectId(Callers.BOB_OID)
                .withAssertion(mock.inboundUserToken(Callers.BOB_OID, "api://entra-mcp")).build(), GRAPH);

        assertThat(http.tokenRequests()).extracting(s -> s.form().get("client_assertion"))
                .containsExactly(firstAssertion, rotatedAssertion);
        assertThat(http.tokenRequests()).allSatisfy(s -> assertThat(s.form())
                .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
    }

    @Test
    void givenAFederatedTokenFileThatDisappearsAfterStart_acquireToken_reportsTheServersCredentialNotTheNetwork() throws Exception {
        Path tokenFile = dir.resolve("azure-identity-token");
        String assertion = TestCredentials.clientAssertion(SERVER_CLIENT_ID, mock.authority().tokenEndpoint().toString());
        Files.writeString(tokenFile, assertion);
        EntraOnBehalfOfClient client = new EntraOnBehalfOfClient(config(new ClientCredentialConfig.FederatedToken(tokenFile)), Optional.of(http));
        Files.delete(tokenFile);

        try (LogCapture logs = LogCapture.all()) {
            ToolFailure failure = failureOf(() -> client.acquireToken(alice(), GRAPH));

            assertThat(failure).isEqualTo(new ToolFailure.DownstreamUnavailable(
                    "This server's Microsoft Entra credential could not be used; an administrator must fix the server configuration."));
            assertThat(logs.warnings()).anySatisfy(line -> assertThat(line)
                    .contains("client assertion could not be produced").contains("AZURE_FEDERATED_TOKEN_FILE")
                    .contains(tokenFile.toString()));
            assertThat(logs.everything()).doesNotContain(assertion);
        }
        assertThat(http.tokenRequests()).isEmpty();
    }

    @Test
    void givenAnUnreadableFederatedTokenFile_construction_isRefusedNamingTheSetting() {
        Path missing = dir.resolve("not-mounted");

        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new EntraOnBehalfOfClient(config(new ClientCredentialConfig.FederatedToken(missing))))
                .withMessageContaining("AZURE_FEDERATED_TOKEN_FILE").withMessageContaining(missing.toString());
    }

    @Test
    void givenAManagedIdentity_acquireToken_usesItsTokenExchangeTokenAsTheClientAssertion() throws Exception {
        String identityToken = TestCredentials.clientAssertion(SERVER_CLIENT_ID, mock.authority().tokenEndpoint().toString());
        http.respondAlways(s -> "169.254.169.254".equals(s.url().getHost()), 200, LoopbackHttpClient.headers(),
                "{\"access_token\":\"" + identityToken + "\",\"expires_in\":\"3600\",\"expires_on\":\""
                        + (Instant.now().getEpochSecond() + 3600) + "\",\"resource\":\"api://AzureADTokenExchange\",\"token_type\":\"Bearer\"}");
        EntraOnBehalfOfClient client = new EntraOnBehalfOfClient(
                config(new ClientCredentialConfig.ManagedIdentity(Optional.empty())), Optional.of(http));

        client.acquireToken(alice(mock.inboundUserToken(EntraMock.ALICE, "api://entra-mcp")), GRAPH);

        LoopbackHttpClient.Sent imds = http.sent().stream().filter(s -> "169.254.169.254".equals(s.url().getHost())).findFirst().orElseThrow();
        assertThat(imds.url().getQuery()).contains("resource=api://AzureADTokenExchange");
        assertThat(http.tokenRequests()).singleElement().satisfies(s ->
                assertThat(s.form()).containsEntry("client_assertion", identityToken));
    }

    @Test
    void givenConsentNotGranted_acquireToken_failsWithConsentRequiredCarryingTheAdminConsentUrl() {
        fakeTokenEndpointError(400, "invalid_grant", "AADSTS65001: The user or administrator has not consented to use the application.", "consent_required");

        ToolFailure failure = failureOf(() -> client().acquireToken(alice(), Set.of("Mail.Send")));

        assertThat(failure).isInstanceOf(ToolFailure.ConsentRequired.class);
        URI url = ((ToolFailure.ConsentRequired) failure).consentUrl().orElseThrow();
        assertThat(url.toString()).startsWith(mock.authority().url() + "v2.0/adminconsent?client_id=" + SERVER_CLIENT_ID)
                .contains("scope=https%3A%2F%2Fgraph.microsoft.com%2FMail.Send");
        assertThat(failure.userMessage()).contains("AADSTS65001").contains(url.toString());
    }

    @Test
    void givenInteractionRequiredWithoutASignInPolicy_acquireToken_failsWithConsentRequired() {
        fakeTokenEndpointError(400, "interaction_required", "AADSTS65002: Consent between first party application and resource must be configured.", null);

        assertThat(failureOf(() -> client().acquireToken(alice(), GRAPH))).isInstanceOf(ToolFailure.ConsentRequired.class);
    }

    @Test
    void givenMultiFactorAuthenticationRequired_acquireToken_failsWithSignInRequired() {
        fakeTokenEndpointError(400, "interaction_required", "AADSTS50079: Due to a configuration change, you must enroll in multi-factor authentication.", null);

        ToolFailure failure = failureOf(() -> client().acquireToken(alice(), GRAPH));

        assertThat(failure).isInstanceOf(ToolFailure.SignInRequired.class);
        assertThat(failure.userMessage()).contains("AADSTS50079");
    }

    @Test
    void givenAnExpiredAssertion_acquireToken_failsWithSignInRequired() {
        fakeTokenEndpointError(400, "invalid_grant", "AADSTS500133: Assertion is not within its valid time range.", null);

        ToolFailure failure = failureOf(() -> client().acquireToken(alice(), GRAPH));

        assertThat(failure).isInstanceOf(ToolFailure.SignInRequired.class);
        assertThat(failure.userMessage()).contains("AADSTS500133").contains("Sign in again");
    }

    @Test
    void givenTheTokenEndpointThrottles_acquireToken_failsWithThrottledHonouringRetryAfter() {
        http.respondOnce(LoopbackHttpClient.Sent::isTokenRequest, 429, LoopbackHttpClient.headers("Retry-After", "7"),
                errorBody("temporarily_unavailable", "AADSTS50196: The server terminated an operation because it encountered a client request loop."));

        assertThat(failureOf(() -> client().acquireToken(alice(), GRAPH))).isEqualTo(new ToolFailure.Throttled(Duration.ofSeconds(7)));
    }

    @Test
    void givenTheTokenEndpointIsUnavailable_acquireToken_failsWithThrottledOrUnavailable() {
        http.respondOnce(LoopbackHttpClient.Sent::isTokenRequest, 503, LoopbackHttpClient.headers("Retry-After", "3"),
                errorBody("temporarily_unavailable", "AADSTS90033: A transient error has occurred."));
        http.respondOnce(LoopbackHttpClient.Sent::isTokenRequest, 500, LoopbackHttpClient.headers("Retry-After", "1"),
                errorBody("server_error", "AADSTS90000: Internal error."));

        assertThat(failureOf(() -> client().acquireToken(alice(), GRAPH))).isEqualTo(new ToolFailure.Throttled(Duration.ofSeconds(3)));
        assertThat(failureOf(() -> client().acquireToken(alice(), GRAPH)))
                .isEqualTo(new ToolFailure.DownstreamUnavailable("Microsoft Entra ID answered HTTP 500."));
    }

    @Test
    void givenTheServersOwnCredentialIsRejected_acquireToken_reportsAServerProblemAndLeaksNothing() {
        fakeTokenEndpointError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.", null);
        String inbound = mock.inboundUserToken(EntraMock.ALICE, "api://entra-mcp");

        try (LogCapture logs = LogCapture.all()) {
            ToolFailure failure = failureOf(() -> client().acquireToken(alice(inbound), GRAPH));

            assertThat(failure).isInstanceOf(ToolFailure.DownstreamUnavailable.class);
            assertThat(failure.userMessage()).contains("AADSTS7000215").contains("administrator")
                    .doesNotContain(secret).doesNotContain(inbound);
            assertThat(logs.everything()).contains("AADSTS7000215").doesNotContain(secret).doesNotContain(inbound);
        }
    }

    @Test
    void givenFailuresOfEveryKind_neitherMessagesNorLogsCarryTheTokenOrTheSecret() {
        String inbound = mock.inboundUserToken(EntraMock.ALICE, "api://entra-mcp");
        try (LogCapture logs = LogCapture.all()) {
            fakeTokenEndpointError(400, "invalid_grant", "AADSTS65001: no consent", "consent_required");
            String consent = failureOf(() -> client().acquireToken(alice(inbound), GRAPH)).userMessage();
            fakeTokenEndpointError(400, "invalid_grant", "AADSTS500133: expired", null);
            String expired = failureOf(() -> client().acquireToken(alice(inbound), GRAPH)).userMessage();

            assertThat(List.of(consent, expired, logs.everything()))
                    .allSatisfy(text -> assertThat(text).doesNotContain(inbound).doesNotContain(secret));
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    private EntraOnBehalfOfClient client() {
        return new EntraOnBehalfOfClient(config(new ClientCredentialConfig.ClientSecret(secret)), Optional.of(http));
    }

    private static ConfidentialClientConfig config(ClientCredentialConfig credential) {
        return ConfidentialClientConfig.of(SERVER_CLIENT_ID, mock.authority(), credential);
    }

    private static CallerIdentity alice(String inbound) {
        return Callers.aCaller().withObjectId(EntraMock.ALICE).withScopes("access_as_user").withAssertion(inbound).build();
    }

    private static CallerIdentity bobOfTheOtherTenant(String inbound) {
        return Callers.aCaller().inTenant(OTHER_TENANT).withObjectId(Callers.BOB_OID).withScopes("access_as_user")
                .withAssertion(inbound).build();
    }

    private static CallerIdentity alice() {
        return alice(mock.inboundUserToken(EntraMock.ALICE, "api://entra-mcp"));
    }

    private void fakeTokenEndpointError(int status, String error, String description, String subError) {
        http.respondOnce(LoopbackHttpClient.Sent::isTokenRequest, status, LoopbackHttpClient.headers(),
                subError == null ? errorBody(error, description)
                        : errorBody(error, description).replace("}", ",\"suberror\":\"" + subError + "\"}"));
    }

    private static String errorBody(String error, String description) {
        return "{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\",\"correlation_id\":\"" + UUID.randomUUID() + "\"}";
    }

    private static final class MutableClock extends java.time.Clock {
        private volatile Instant now;

        private MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static ToolFailure failureOf(Runnable call) {
        try {
            call.run();
        } catch (ToolFailureException failure) {
            return failure.failure();
        }
        throw new AssertionError("expected a ToolFailureException");
    }

    private void assertSignedClientAssertion(TestCredentials credentials) throws Exception {
        Map<String, String> form = http.tokenRequests().get(0).form();
        assertThat(form).containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .doesNotContainKey("client_secret");
        SignedJWT assertion = SignedJWT.parse(form.get("client_assertion"));
        assertThat(assertion.verify(new RSASSAVerifier((RSAPublicKey) credentials.certificate().getPublicKey()))).isTrue();
        assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo(SERVER_CLIENT_ID);
        assertThat(assertion.getJWTClaimsSet().getSubject()).isEqualTo(SERVER_CLIENT_ID);
        assertThat(assertion.getJWTClaimsSet().getAudience()).singleElement().asString().contains("/oauth2/v2.0/token");
        assertThat(assertion.getHeader().toJSONObject().keySet()).containsAnyOf("x5t#S256", "x5t");
    }
}
