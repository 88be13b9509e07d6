package dev.entramcp.adapter.entra;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.entramcp.domain.contract.AcquireDownstreamTokenPortContract;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;
import dev.entramcp.emulator.AppRegistration;
import dev.entramcp.emulator.EntraEmulator;
import dev.entramcp.emulator.Grant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The On-Behalf-Of adapter honours the {@link AcquireDownstreamTokenPortContract} against the Entra
 * emulator, wired as app-remote wires it: real msal4j over the emulator's TLS (its certificate trusted
 * through {@link ConfidentialClientConfig#withSslSocketFactory}), the authority with its port, and the
 * remote server's registration with the client secret the emulator generated at start. The inbound
 * tokens are those Entra would issue to an MCP client (the emulator's pre-authorised demo client) for
 * the server's API. The same contract also runs against mock-oauth2-server
 * ({@link AcquireDownstreamTokenContractTests.OnBehalfOf}), so the emulator is not the only judge.
 *
 * <p>Beyond the contract, the emulator judges what mock-oauth2-server does not: the assertion's
 * audience (a Graph token, i.e. a passthrough attempt, is refused with AADSTS50013), its lifetime,
 * the user's consent to the server, and the server's own credential.
 */
class EntraOnBehalfOfClientEmulatorContractTest extends AcquireDownstreamTokenPortContract {

    private static final String GRAPH_USER_READ = EntraEmulator.GRAPH_RESOURCE + "/User.Read";
    private static EntraEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = EntraEmulator.start();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void forgetCounters() {
        emulator.control().clearRecords();
    }

    private static ConfidentialClientConfig config(String clientSecret) {
        AppRegistration server = emulator.apps().remote();
        return ConfidentialClientConfig.of(server.clientId(), EntraAuthority.local(emulator.baseUrl(), emulator.tenantId()),
                        new ClientCredentialConfig.ClientSecret(clientSecret))
                .withSslSocketFactory(emulator.sslContext().getSocketFactory());
    }

    private static EntraOnBehalfOfClient client() {
        return new EntraOnBehalfOfClient(config(emulator.apps().remote().clientSecret()));
    }

    /** A user token for the server's API, as the demo MCP client would bring it. */
    private static String inboundToken(String username) {
        return emulator.control().issueAccessToken(username, emulator.apps().demo().clientId(),
                emulator.apps().remote().appIdUri() + "/User.Read");
    }

    private static CallerIdentity callerWith(String username, String assertion) {
        return Callers.aCaller().inTenant(emulator.tenantId()).withObjectId(emulator.user(username).objectId())
                .withAssertion(assertion).build();
    }

    @Override
    protected AcquireDownstreamTokenPort adapter() {
        return client();
    }

    @Override
    protected CallerIdentity aCallerItCanServe() {
        return callerWith("alice", inboundToken("alice"));
    }

    @Override
    protected CallerIdentity aCallerWithoutSignIn() {
        return Callers.aCaller().inTenant(emulator.tenantId()).withObjectId(emulator.user("alice").objectId()).build();
    }

    /** As the Graph adapter asks for them: qualified with Graph's resource. */
    @Override
    protected Set<String> scopes() {
        return Set.of(GRAPH_USER_READ);
    }

    @Test
    void givenACallerItCanServe_acquireToken_returnsAGraphTokenForThatUserIssuedToTheServer() throws Exception {
        AccessToken token = client().acquireToken(aCallerItCanServe(), scopes());

        JWTClaimsSet claims = SignedJWT.parse(token.value()).getJWTClaimsSet();

        assertThat(claims.getAudience()).containsExactly(EntraEmulator.GRAPH_APP_ID);
        assertThat(claims.getStringClaim("azp")).isEqualTo(emulator.apps().remote().clientId());
        assertThat(claims.getStringClaim("oid")).isEqualTo(emulator.user("alice").objectId());
        assertThat(claims.getStringClaim("tid")).isEqualTo(emulator.tenantId());
        // Entra puts every scope the user consented to for the server in the token, not only those asked for.
        assertThat(claims.getStringClaim("scp").split(" ")).contains("User.Read");
        assertThat(emulator.control().counters().tokensIssued(Grant.ON_BEHALF_OF)).isEqualTo(1);
    }

    @Test
    void givenAGraphTokenAsTheAssertion_acquireToken_isRefusedAndNothingIsReturned() {
        String graphToken = emulator.control().issueAccessToken("alice", emulator.apps().local().clientId(), GRAPH_USER_READ);
        CallerIdentity passthrough = callerWith("alice", graphToken);

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client().acquireToken(passthrough, scopes()))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class))
                .withMessageContaining("AADSTS50013")
                .withMessageNotContaining(graphToken);
    }

    @Test
    void givenAnExpiredInboundToken_acquireToken_failsWithSignInRequired() {
        Map<String, Object> claims = emulator.control().accessTokenClaims("alice", emulator.apps().demo().clientId(),
                emulator.apps().remote().appIdUri() + "/User.Read");
        long anHourAgo = Instant.now().minus(Duration.ofHours(1)).getEpochSecond();
        claims.put("iat", anHourAgo - 600);
        claims.put("nbf", anHourAgo - 600);
        claims.put("exp", anHourAgo);
        String expired = emulator.control().signJwt(claims);

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client().acquireToken(callerWith("alice", expired), scopes()))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class))
                .withMessageNotContaining(expired);
    }

    @Test
    void givenConsentWithdrawn_acquireToken_failsWithConsentRequiredCarryingTheAdminConsentUrl() {
        // Bob only: the emulator is shared by this class's tests, and the others act for Alice.
        CallerIdentity bob = callerWith("bob", inboundToken("bob"));
        emulator.control().withdrawConsent("bob", emulator.apps().remote().clientId());

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> client().acquireToken(bob, scopes()))
                .satisfies(e -> assertThat(e.failure()).isInstanceOfSatisfying(ToolFailure.ConsentRequired.class,
                        consent -> assertThat(consent.consentUrl()).hasValueSatisfying(url -> assertThat(url.toString())
                                .startsWith(emulator.authority() + "/v2.0/adminconsent?client_id="
                                        + emulator.apps().remote().clientId()))))
                .withMessageContaining("AADSTS65001");
    }

    @Test
    void givenAWrongClientSecret_acquireToken_failsAsTheServersOwnProblemWithoutTheSecret() {
        String wrong = "not-the-secret-" + UUID.randomUUID();
        EntraOnBehalfOfClient misconfigured = new EntraOnBehalfOfClient(config(wrong));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> misconfigured.acquireToken(aCallerItCanServe(), scopes()))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageContaining("AADSTS7000215")
                .withMessageNotContaining(wrong);
    }
}
