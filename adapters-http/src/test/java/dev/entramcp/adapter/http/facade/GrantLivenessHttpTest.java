package dev.entramcp.adapter.http.facade;

import com.nimbusds.jwt.SignedJWT;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.TestCallers;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A facade token is worth something only while its grant lives and the user's upstream sign-in
 * can still deliver a token: an expired upstream token is refreshed on the way, a refused refresh
 * ends the grant with a 401 and a fresh challenge on that very request, a revoked grant ends its
 * still-unexpired access tokens at once.
 */
@ExtendWith(SharedFacadeServer.class)
class GrantLivenessHttpTest {

    private final FacadeTestServer server;
    private final OAuthTestClient client;
    private final OAuthTestClient.Discovery discovery;
    private final OAuthTestClient.Client registered;
    private final RawMcp mcp;

    GrantLivenessHttpTest(FacadeTestServer server) {
        this.server = server;
        this.client = new OAuthTestClient(server.url());
        this.discovery = client.discover();
        this.registered = client.registerPublicClient(discovery);
        this.mcp = server.mcp().raw();
    }

    @AfterEach
    void resetUpstream() {
        server.upstream().reset();
    }

    @Test
    void givenAnUpstreamTokenAboutToExpire_anMcpRequest_refreshesItTransparentlyAndSucceeds() {
        server.upstream().accessTokenLifetime(Duration.ofSeconds(30));
        CallerIdentity user = FacadeUsers.aUser("Jack");
        OAuthTestClient.Tokens tokens = client.signIn(discovery, registered, server.upstream(), user, "User.Read");
        String before = server.bean(UpstreamTokenStorePort.class).load(user.principal()).orElseThrow().accessToken().value();
        int refreshes = server.upstream().refreshes();

        HttpResponse<String> initialize = mcp.post("/mcp", tokens.accessToken(), RawMcp.INITIALIZE);

        assertThat(initialize.statusCode()).isEqualTo(200);
        assertThat(server.upstream().refreshes()).isGreaterThan(refreshes);
        assertThat(server.bean(UpstreamTokenStorePort.class).load(user.principal()).orElseThrow().accessToken().value())
                .isNotEqualTo(before);
    }

    @Test
    void givenTheUpstreamRefusesToRefresh_theNextMcpRequest_gets401WithAFreshChallengeAndTheGrantEnds() {
        server.upstream().accessTokenLifetime(Duration.ofSeconds(30));
        CallerIdentity user = FacadeUsers.aUser("Kate");
        OAuthTestClient.Tokens tokens = client.signIn(discovery, registered, server.upstream(), user, "User.Read");
        server.upstream().revokeRefreshTokensOf(user.principal().objectId());

        HttpResponse<String> refused = mcp.post("/mcp", tokens.accessToken(), RawMcp.INITIALIZE);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer ").contains("error=\"invalid_token\"")
                .contains("resource_metadata=\"" + discovery.resourceMetadataUrl() + "\"");
        assertThat(RawMcp.json(refused)).containsEntry("error", "invalid_token");
        RawMcp.assertNoStackTrace(refused.body());
        assertThat(server.bean(UpstreamTokenStorePort.class).load(user.principal())).isEmpty();
        assertThat(OAuthTestClient.json(client.refresh(discovery, registered, tokens.refreshToken())).path("error").asText())
                .isEqualTo("invalid_grant");
    }

    /**
     * Security review, finding 3: app roles are no longer frozen for the grant's life. Entra's ID
     * token at the next upstream refresh says the role is gone: the token that still carries it is
     * refused from the next request on, and the client's next tokens do not carry it.
     */
    @Test
    void givenAnAppRoleRemovedAtEntra_theNextUpstreamRefresh_endsTokensCarryingItAndNewTokensLackIt() throws Exception {
        server.upstream().accessTokenLifetime(Duration.ofSeconds(30));
        CallerIdentity user = FacadeUsers.aMailSender("Nora");
        OAuthTestClient.Tokens tokens = client.signIn(discovery, registered, server.upstream(), user, "User.Read Mail.Send");
        assertThat(SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet().getStringListClaim("roles")).containsExactly("Mail.Sender");
        server.upstream().assignRoles(user.principal().objectId());

        HttpResponse<String> refreshingUpstream = mcp.post("/mcp", tokens.accessToken(), RawMcp.INITIALIZE);
        HttpResponse<String> withTheOldRole = mcp.post("/mcp", tokens.accessToken(), RawMcp.INITIALIZE);
        HttpResponse<String> refreshed = client.refresh(discovery, registered, tokens.refreshToken());

        assertThat(refreshingUpstream.statusCode()).isEqualTo(200);
        assertThat(withTheOldRole.statusCode()).isEqualTo(401);
        assertThat(withTheOldRole.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        String newToken = OAuthTestClient.json(refreshed).path("access_token").asText();
        assertThat(SignedJWT.parse(newToken).getJWTClaimsSet().getClaim("roles")).isNull();
        assertThat(mcp.post("/mcp", newToken, RawMcp.INITIALIZE).statusCode()).isEqualTo(200);
    }

    @Test
    void givenAnAppRoleRemovedAtEntraAndAnUpstreamTokenDue_aRefreshAtTheTokenEndpoint_issuesATokenWithoutIt() throws Exception {
        server.upstream().accessTokenLifetime(Duration.ofSeconds(30));
        CallerIdentity user = FacadeUsers.aMailSender("Omar");
        OAuthTestClient.Tokens tokens = client.signIn(discovery, registered, server.upstream(), user, "User.Read Mail.Send");
        server.upstream().assignRoles(user.principal().objectId());
        int refreshes = server.upstream().refreshes();

        HttpResponse<String> refreshed = client.refresh(discovery, registered, tokens.refreshToken());

        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(server.upstream().refreshes()).isGreaterThan(refreshes);
        assertThat(SignedJWT.parse(OAuthTestClient.json(refreshed).path("access_token").asText()).getJWTClaimsSet()
                .getClaim("roles")).isNull();
    }

    @Test
    void givenTheUpstreamRefusesToRefresh_aRefreshAtTheTokenEndpoint_isInvalidGrantAndTheGrantEnds() {
        server.upstream().accessTokenLifetime(Duration.ofSeconds(30));
        CallerIdentity user = FacadeUsers.aUser("Paul");
        OAuthTestClient.Tokens tokens = client.signIn(discovery, registered, server.upstream(), user, "User.Read");
        server.upstream().revokeRefreshTokensOf(user.principal().objectId());

        HttpResponse<String> refreshed = client.refresh(discovery, registered, tokens.refreshToken());

        assertThat(refreshed.statusCode()).isEqualTo(400);
        assertThat(OAuthTestClient.json(refreshed).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(mcp.post("/mcp", tokens.accessToken(), RawMcp.INITIALIZE).statusCode()).isEqualTo(401);
        assertThat(server.bean(UpstreamTokenStorePort.class).load(user.principal())).isEmpty();
    }

    @Test
    void givenTheClientRevokesItsAccessToken_theSameUnexpiredToken_is401AtOnce() {
        OAuthTestClient.Tokens tokens = client.signIn(discovery, registered, server.upstream(), FacadeUsers.aUser("Liam"), "User.Read");
        assertThat(mcp.post("/mcp", tokens.accessToken(), RawMcp.INITIALIZE).statusCode()).isEqualTo(200);

        HttpResponse<String> revoked = client.postForm(discovery.endpoint("revocation_endpoint"),
                Map.of("token", tokens.accessToken(), "token_type_hint", "access_token", "client_id", registered.clientId()));

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(mcp.post("/mcp", tokens.accessToken(), RawMcp.INITIALIZE).statusCode()).isEqualTo(401);
    }

    @Test
    void givenAnotherClientsToken_revoke_answers200AndRevokesNothing() {
        OAuthTestClient.Tokens tokens = client.signIn(discovery, registered, server.upstream(), FacadeUsers.aUser("Mona"), "User.Read");
        OAuthTestClient.Client other = new OAuthTestClient(server.url()).registerPublicClient(discovery);

        HttpResponse<String> answer = client.postForm(discovery.endpoint("revocation_endpoint"),
                Map.of("token", tokens.refreshToken(), "client_id", other.clientId()));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(mcp.post("/mcp", tokens.accessToken(), RawMcp.INITIALIZE).statusCode()).isEqualTo(200);
    }

    /**
     * Fail closed: on a server where a stray {@link EntraBesideFacadeIssuers} group makes the
     * verifier accept Entra's tokens beside the facade's, such a token authenticates but has no
     * grant behind it, and is refused with the challenge all the same.
     */
    @Test
    void givenAVerifierThatAlsoTrustsEntra_anEntraTokenOnMcp_isRefusedWithAChallengeByTheGrantCheck() {
        try (FacadeTestServer misconfigured = FacadeTestServer.start(Map.of(EntraBesideFacadeIssuers.ENABLED, "true"), false)) {
            String entraToken = misconfigured.mcp().tokenFor(TestCallers.alice());
            OAuthTestClient.Discovery its = new OAuthTestClient(misconfigured.url()).discover();

            HttpResponse<String> refused = misconfigured.mcp().raw().post("/mcp", entraToken, RawMcp.INITIALIZE);

            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .startsWith("Bearer ").contains("error=\"invalid_token\"")
                    .contains("resource_metadata=\"" + its.resourceMetadataUrl() + "\"");
            assertThat(RawMcp.json(refused)).containsEntry("error", "invalid_token")
                    .containsEntry("error_description", GrantLivenessFilter.NOT_ISSUED_HERE);
            RawMcp.assertNoStackTrace(refused.body());
        }
    }
}
