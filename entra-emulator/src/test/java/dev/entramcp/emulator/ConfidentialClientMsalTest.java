package dev.entramcp.emulator;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.DeviceCodeFlowParameters;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.OnBehalfOfParameters;
import com.microsoft.aad.msal4j.UserAssertion;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** msal4j's confidential client against the emulator: auth code + PKCE, On-Behalf-Of, client credentials. */
class ConfidentialClientMsalTest {

    private static final String REMOTE_ID = "4b1f7a52-0c55-4a53-9d2c-0f2a7d0c6c11";
    private static final String DAEMON_ID = "9d6e2f1a-7b3c-4e8d-a1f2-3c4d5e6f7a8b";

    private static EntraEmulator emu;

    @BeforeAll
    static void start() {
        emu = EntraEmulator.builder()
                .remoteApp(app -> app.withClientId(REMOTE_ID))
                .app(AppRegistration.confidentialClient("nightly job").withClientId(DAEMON_ID)
                        .withApplicationPermissions(REMOTE_ID, "Mail.Sender"))
                .build().start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @BeforeEach
    void reset() {
        emu.control().autoApprove(null);
        emu.control().clearRecords();
    }

    @Test
    void givenAPersonSigningIn_authorizationCodeWithPkce_isRedeemedWithTheSecret() throws Exception {
        ConfidentialClientApplication remote = remoteWithSecret();
        TestHttp.Pkce pkce = TestHttp.Pkce.create();
        String redirect = "http://localhost:53682/callback";
        String url = remote.getAuthorizationRequestUrl(AuthorizationRequestUrlParameters
                .builder(redirect, Set.of("User.Read"))
                .codeChallenge(pkce.challenge()).codeChallengeMethod("S256")
                .state("state-123").nonce("nonce-456")
                .build()).toString();

        // msal4j 1.26.1 forces response_mode=form_post (it overrides ResponseMode.QUERY with a warning).
        Map<String, String> result = new HeadlessBrowser(emu).signIn(url, "alice").params();
        IAuthenticationResult tokens = remote.acquireToken(AuthorizationCodeParameters
                .builder(result.get("code"), new URI(redirect)).scopes(Set.of("User.Read"))
                .codeVerifier(pkce.verifier()).build()).get(30, TimeUnit.SECONDS);

        assertThat(url).startsWith(emu.authority() + "/oauth2/v2.0/authorize?");
        assertThat(result).containsEntry("state", "state-123");
        assertThat(Fixtures.claims(tokens.accessToken())).containsEntry("aud", EntraEmulator.GRAPH_APP_ID)
                .containsEntry("azp", REMOTE_ID).containsEntry("azpacr", "1")
                .containsEntry("oid", emu.user("alice").objectId());
        assertThat(Fixtures.claims(tokens.idToken())).containsEntry("nonce", "nonce-456").containsEntry("aud", REMOTE_ID);
    }

    @Test
    void givenAClientTokenForTheRemoteApi_onBehalfOf_getsAGraphTokenThatGraphAccepts() throws Exception {
        emu.control().autoApprove("bob");
        IAuthenticationResult inbound = Fixtures.publicClient(emu, emu.apps().demo().clientId())
                .acquireToken(DeviceCodeFlowParameters.builder(Set.of("api://" + REMOTE_ID + "/Mail.Send"), c -> { })
                        .build()).get(30, TimeUnit.SECONDS);

        IAuthenticationResult obo = remoteWithSecret().acquireToken(OnBehalfOfParameters.builder(
                Set.of(EntraEmulator.GRAPH_RESOURCE + "/.default"), new UserAssertion(inbound.accessToken()))
                .build()).get(30, TimeUnit.SECONDS);
        TestHttp.Response sent = new TestHttp(emu).postJson(emu.graphBaseUrl() + "/me/sendMail",
                "{\"message\":{\"subject\":\"Hi\",\"body\":{\"contentType\":\"Text\",\"content\":\"Hello\"},"
                        + "\"toRecipients\":[{\"emailAddress\":{\"address\":\"carol@example.test\"}}]}}",
                "Authorization", "Bearer " + obo.accessToken());

        assertThat(Fixtures.claims(inbound.accessToken())).containsEntry("aud", REMOTE_ID)
                .containsEntry("azp", emu.apps().demo().clientId()).containsEntry("roles", List.of("Mail.Sender"));
        assertThat(Fixtures.claims(obo.accessToken())).containsEntry("aud", EntraEmulator.GRAPH_APP_ID)
                .containsEntry("azp", REMOTE_ID).containsEntry("oid", emu.user("bob").objectId())
                .doesNotContainKey("roles");
        assertThat(sent.status()).isEqualTo(202);
        assertThat(emu.control().outbox()).singleElement().satisfies(mail -> {
            assertThat(mail.senderUsername()).isEqualTo("bob@entra-emulator.test");
            assertThat(mail.clientId()).isEqualTo(REMOTE_ID);
            assertThat(mail.to()).containsExactly("carol@example.test");
        });
        assertThat(emu.control().graphRequests()).singleElement().satisfies(request -> {
            assertThat(request.bearerToken()).contains(obo.accessToken()).isNotEqualTo(inbound.accessToken());
            assertThat(request.tokenClaims()).containsEntry("azp", REMOTE_ID);
        });
    }

    @Test
    void givenWithdrawnConsentToTheRemoteApp_onBehalfOf_requiresInteractionUntilConsentedThroughTheClient()
            throws Exception {
        String inbound = emu.control().issueAccessToken("alice", emu.apps().demo().clientId(),
                "api://" + REMOTE_ID + "/User.Read");
        emu.control().withdrawConsent("alice", REMOTE_ID);

        assertThatExceptionOfType(ExecutionException.class)
                .isThrownBy(() -> remoteWithSecret().acquireToken(OnBehalfOfParameters.builder(Set.of("User.Read"),
                        new UserAssertion(inbound)).build()).get(30, TimeUnit.SECONDS))
                .havingCause().isInstanceOfSatisfying(MsalInteractionRequiredException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("invalid_grant");
                    assertThat(e.getMessage()).contains("AADSTS65001");
                });

        emu.control().autoApprove("alice");
        Fixtures.publicClient(emu, emu.apps().demo().clientId()).acquireToken(DeviceCodeFlowParameters.builder(
                Set.of("api://" + REMOTE_ID + "/User.Read"), c -> { }).build()).get(30, TimeUnit.SECONDS);
        IAuthenticationResult obo = remoteWithSecret().acquireToken(OnBehalfOfParameters.builder(Set.of("User.Read"),
                new UserAssertion(inbound)).build()).get(30, TimeUnit.SECONDS);
        assertThat(Fixtures.claims(obo.accessToken())).containsEntry("oid", emu.user("alice").objectId());
    }

    @Test
    void givenAnMfaPolicy_onBehalfOf_failsWithInteractionRequiredAndAClaimsChallengeUntilCleared() throws Exception {
        String inbound = emu.control().issueAccessToken("bob", emu.apps().demo().clientId(),
                "api://" + REMOTE_ID + "/Mail.Send");
        ConfidentialClientApplication remote = remoteWithSecret();

        String policyId = emu.control().requireMfa("bob");
        try {
            assertThatExceptionOfType(ExecutionException.class)
                    .isThrownBy(() -> remote.acquireToken(OnBehalfOfParameters.builder(Set.of("User.Read"),
                            new UserAssertion(inbound)).build()).get(30, TimeUnit.SECONDS))
                    .havingCause().isInstanceOfSatisfying(MsalServiceException.class, e -> {
                        // msal4j 1.26.1 raises MsalInteractionRequiredException for invalid_grant only: an
                        // interaction_required answer arrives as a plain MsalServiceException. Callers must read
                        // errorCode() (and claims()), not rely on the subclass.
                        assertThat(e).isNotInstanceOf(MsalInteractionRequiredException.class);
                        assertThat(e.errorCode()).isEqualTo("interaction_required");
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.getMessage()).startsWith("AADSTS50076: ");
                        assertThat(e.claims()).isEqualTo("{\"access_token\":{\"capolids\":{\"essential\":true,"
                                + "\"values\":[\"" + policyId + "\"]}}}");
                    });
        } finally {
            emu.control().clearMfaRequirement("bob");
        }
        IAuthenticationResult afterMfa = remote.acquireToken(OnBehalfOfParameters.builder(Set.of("User.Read"),
                new UserAssertion(inbound)).build()).get(30, TimeUnit.SECONDS);

        assertThat(Fixtures.claims(afterMfa.accessToken())).containsEntry("oid", emu.user("bob").objectId())
                .containsEntry("aud", EntraEmulator.GRAPH_APP_ID);
    }

    @Test
    void givenAnAssertionForAnotherAudience_onBehalfOf_isRefusedWithAadsts50013() {
        String graphToken = emu.control().issueAccessToken("alice", emu.apps().local().clientId(), "User.Read");

        assertThatExceptionOfType(ExecutionException.class)
                .isThrownBy(() -> remoteWithSecret().acquireToken(OnBehalfOfParameters.builder(Set.of("User.Read"),
                        new UserAssertion(graphToken)).build()).get(30, TimeUnit.SECONDS))
                .havingCause().isInstanceOfSatisfying(MsalServiceException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("invalid_grant");
                    assertThat(e.getMessage()).startsWith("AADSTS50013: Assertion audience does not match");
                });
    }

    @Test
    void givenTheSecret_clientCredentials_issuesAnAppOnlyToken() throws Exception {
        IAuthenticationResult result = remoteWithSecret().acquireToken(ClientCredentialParameters.builder(
                Set.of(EntraEmulator.GRAPH_RESOURCE + "/.default")).build()).get(30, TimeUnit.SECONDS);

        Map<String, Object> claims = Fixtures.claims(result.accessToken());
        assertThat(claims).containsEntry("aud", EntraEmulator.GRAPH_APP_ID).containsEntry("azp", REMOTE_ID)
                .containsEntry("azpacr", "1").containsEntry("idtyp", "app").doesNotContainKey("scp");
        assertThat(claims.get("oid")).isEqualTo(claims.get("sub"));
    }

    @Test
    void givenGrantedAppRoles_clientCredentials_carryThemInRoles() throws Exception {
        AppRegistration daemon = emu.apps().byClientId(DAEMON_ID).orElseThrow();
        ConfidentialClientApplication app = Fixtures.confidentialClient(emu, DAEMON_ID,
                ClientCredentialFactory.createFromSecret(daemon.clientSecret()));

        IAuthenticationResult result = app.acquireToken(ClientCredentialParameters.builder(
                Set.of("api://" + REMOTE_ID + "/.default")).build()).get(30, TimeUnit.SECONDS);

        assertThat(Fixtures.claims(result.accessToken())).containsEntry("aud", REMOTE_ID)
                .containsEntry("roles", List.of("Mail.Sender")).containsEntry("azp", DAEMON_ID);
    }

    @Test
    void givenARegisteredCertificate_clientCredentials_authenticateWithASignedAssertion() throws Exception {
        KeyPair keys = Fixtures.rsaKeyPair();
        java.security.cert.X509Certificate certificate = Fixtures.certificate(keys);
        emu.control().registerClientCertificate(REMOTE_ID, certificate);
        ConfidentialClientApplication app = Fixtures.confidentialClient(emu, REMOTE_ID,
                ClientCredentialFactory.createFromCertificate(keys.getPrivate(), certificate));

        IAuthenticationResult result = app.acquireToken(ClientCredentialParameters.builder(
                Set.of(EntraEmulator.GRAPH_RESOURCE + "/.default")).build()).get(30, TimeUnit.SECONDS);

        assertThat(Fixtures.claims(result.accessToken())).containsEntry("azpacr", "2").containsEntry("azp", REMOTE_ID);
    }

    @Test
    void givenAnUnregisteredCertificate_clientCredentials_areRefusedWithAadsts700027() {
        KeyPair keys = Fixtures.rsaKeyPair();
        ConfidentialClientApplication app = Fixtures.confidentialClient(emu, REMOTE_ID,
                ClientCredentialFactory.createFromCertificate(keys.getPrivate(), Fixtures.certificate(keys)));

        assertThatExceptionOfType(ExecutionException.class)
                .isThrownBy(() -> app.acquireToken(ClientCredentialParameters.builder(
                        Set.of(EntraEmulator.GRAPH_RESOURCE + "/.default")).build()).get(30, TimeUnit.SECONDS))
                .havingCause().isInstanceOfSatisfying(MsalServiceException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("invalid_client");
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.getMessage()).startsWith("AADSTS700027");
                });
    }

    @Test
    void givenAFederatedCredential_clientCredentials_authenticateWithTheExternalIssuersToken() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair issuerKeys = generator.generateKeyPair();
        String issuer = "https://token.actions.githubusercontent.com";
        String subject = "repo:entra-mcp/entra-mcp:ref:refs/heads/main";
        emu.control().registerFederatedCredential(REMOTE_ID, FederatedCredential.of(issuer, subject,
                issuerKeys.getPublic()));
        ConfidentialClientApplication app = Fixtures.confidentialClient(emu, REMOTE_ID,
                ClientCredentialFactory.createFromCallback(() -> externalToken(issuerKeys, issuer, subject)));

        IAuthenticationResult result = app.acquireToken(ClientCredentialParameters.builder(
                Set.of(EntraEmulator.GRAPH_RESOURCE + "/.default")).build()).get(30, TimeUnit.SECONDS);

        assertThat(Fixtures.claims(result.accessToken())).containsEntry("azpacr", "2").containsEntry("azp", REMOTE_ID);
    }

    @Test
    void givenAWrongSecret_anyGrant_isRefusedWithInvalidClient() {
        ConfidentialClientApplication app = Fixtures.confidentialClient(emu, REMOTE_ID,
                ClientCredentialFactory.createFromSecret("not-the-secret-at-all-000"));

        assertThatExceptionOfType(ExecutionException.class)
                .isThrownBy(() -> app.acquireToken(ClientCredentialParameters.builder(
                        Set.of(EntraEmulator.GRAPH_RESOURCE + "/.default")).build()).get(30, TimeUnit.SECONDS))
                .havingCause().isInstanceOfSatisfying(MsalServiceException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("invalid_client");
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.getMessage()).startsWith("AADSTS7000215: Invalid client secret provided.")
                            .doesNotContain("not-the-secret-at-all-000");
                });
    }

    private static ConfidentialClientApplication remoteWithSecret() {
        return Fixtures.confidentialClient(emu, REMOTE_ID,
                ClientCredentialFactory.createFromSecret(emu.apps().remote().clientSecret()));
    }

    private static String externalToken(KeyPair keys, String issuer, String subject) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("gh-1").build(),
                new JWTClaimsSet.Builder().issuer(issuer).subject(subject)
                        .audience(FederatedCredential.DEFAULT_AUDIENCE).jwtID(UUID.randomUUID().toString())
                        .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        jwt.sign(new ECDSASigner((ECPrivateKey) keys.getPrivate()));
        return jwt.serialize();
    }
}
