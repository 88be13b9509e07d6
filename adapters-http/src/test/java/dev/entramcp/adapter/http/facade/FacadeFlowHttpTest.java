package dev.entramcp.adapter.http.facade;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.TestCallers;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole MCP OAuth flow through the facade, driven only by what the server advertises, with a
 * fake Entra behind the port: 401 challenge, PRM, metadata, registration, authorization with PKCE,
 * consent, the upstream sign-in, the callback, the code, the tokens, a tool call, a refresh, a
 * revocation.
 */
@ExtendWith(SharedFacadeServer.class)
class FacadeFlowHttpTest {

    private static final String PROFILE_CALL = """
            {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_user_profile","arguments":{}}}""";

    private final FacadeTestServer server;
    private final OAuthTestClient client;
    private final RawMcp mcp;

    FacadeFlowHttpTest(FacadeTestServer server) {
        this.server = server;
        this.client = new OAuthTestClient(server.url());
        this.mcp = server.mcp().raw();
    }

    @Test
    void givenAClientThatKnowsOnlyTheServerUrl_theWholeFlow_endsWithAToolCallThenARefreshThenARevocation() throws Exception {
        OAuthTestClient.Discovery discovery = client.discover();
        assertThat(discovery.resourceMetadata().path("authorization_servers").path(0).asText()).isEqualTo(server.issuer());
        assertThat(discovery.resourceMetadata().path("scopes_supported").toString()).contains("\"User.Read\"").doesNotContain("api://");
        assertThat(discovery.authorizationServer().path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");

        OAuthTestClient.Client registered = client.registerPublicClient(discovery);
        OAuthTestClient.Pkce pkce = OAuthTestClient.Pkce.fresh();
        CallerIdentity erin = FacadeUsers.aMailSender("Erin");
        URI back = client.authorizeInBrowser(client.authorizeUrl(discovery, registered, pkce, "client-state-1",
                "User.Read Mail.Send offline_access"), server.upstream(), erin);
        Map<String, String> answer = OAuthTestClient.query(back);
        assertThat(back.toString()).startsWith(registered.redirectUri() + "?");
        assertThat(answer).containsEntry("state", "client-state-1").containsEntry("iss", server.issuer()).containsKey("code");

        HttpResponse<String> tokenResponse = client.redeem(discovery, registered, answer.get("code"), pkce);
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        assertThat(tokenResponse.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode tokens = OAuthTestClient.json(tokenResponse);
        assertThat(tokens.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(tokens.path("scope").asText()).isEqualTo("Mail.Send User.Read");
        assertThat(tokens.path("expires_in").asLong()).isBetween(250L, 300L);
        assertThat(tokenResponse.body()).doesNotContain("entra-access").doesNotContain("entra-refresh");

        String sessionId = mcp.initialize(tokens.path("access_token").asText());
        HttpResponse<String> profile = mcp.post("/mcp", tokens.path("access_token").asText(), PROFILE_CALL,
                "Mcp-Session-Id", sessionId);
        assertThat(profile.statusCode()).isEqualTo(200);
        assertThat(profile.body()).contains("Erin").contains("\"isError\":false");

        HttpResponse<String> refreshed = client.refresh(discovery, registered, tokens.path("refresh_token").asText());
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JsonNode second = OAuthTestClient.json(refreshed);
        assertThat(second.path("refresh_token").asText()).isNotEqualTo(tokens.path("refresh_token").asText());
        assertThat(mcp.post("/mcp", second.path("access_token").asText(), PROFILE_CALL, "Mcp-Session-Id", sessionId)
                .statusCode()).isEqualTo(200);

        HttpResponse<String> revoked = client.postForm(discovery.endpoint("revocation_endpoint"),
                Map.of("token", second.path("refresh_token").asText(), "client_id", registered.clientId()));
        assertThat(revoked.statusCode()).isEqualTo(200);
        HttpResponse<String> afterRevocation = mcp.post("/mcp", second.path("access_token").asText(), PROFILE_CALL,
                "Mcp-Session-Id", sessionId);
        assertThat(afterRevocation.statusCode()).isEqualTo(401);
        assertThat(afterRevocation.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"invalid_token\"").contains("resource_metadata=\"" + discovery.resourceMetadataUrl() + "\"");
        assertThat(client.refresh(discovery, registered, second.path("refresh_token").asText()).statusCode()).isEqualTo(400);
        assertThat(server.bean(UpstreamTokenStorePort.class).load(erin.principal())).isEmpty();
    }

    @Test
    void givenTheFlowsAccessToken_itsClaims_areTheFacadesAndCarryTheUserTheClientTheScopesAndTheRoles() throws Exception {
        OAuthTestClient.Tokens tokens = client.signIn(server.upstream(), TestCallers.bob(), "User.Read");

        SignedJWT jwt = SignedJWT.parse(tokens.accessToken());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        PrincipalId bob = TestCallers.bob().principal();
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        assertThat(jwt.getHeader().getKeyID()).isNotBlank();
        assertThat(claims.getIssuer()).isEqualTo(server.issuer());
        assertThat(claims.getAudience()).containsExactly(server.issuer() + "/mcp");
        assertThat(claims.getStringClaim("tid")).isEqualTo(bob.tenantId());
        assertThat(claims.getStringClaim("oid")).isEqualTo(bob.objectId());
        assertThat(claims.getSubject()).isNotBlank().isNotEqualTo(bob.objectId());
        assertThat(claims.getStringClaim("azp")).isEqualTo(claims.getStringClaim("client_id")).isNotBlank();
        assertThat(claims.getStringClaim("scp")).isEqualTo("User.Read");
        assertThat(claims.getStringListClaim("roles")).isEqualTo(List.of("Mail.Sender"));
        assertThat(claims.getStringClaim("ver")).isEqualTo("2.0");
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getStringClaim("grant_id")).isNotBlank();
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(300_000L);
        assertThat(tokens.response().toString()).doesNotContain("entra-");
    }

    @Test
    void givenTheJwksUri_itPublishesTheKeyThatSignedTheTokens_andNoPrivatePart() throws Exception {
        OAuthTestClient.Tokens tokens = client.signIn(server.upstream(), TestCallers.alice(), "User.Read");
        OAuthTestClient.Discovery discovery = client.discover();

        JsonNode jwks = OAuthTestClient.json(client.get(discovery.endpoint("jwks_uri")));

        String kid = SignedJWT.parse(tokens.accessToken()).getHeader().getKeyID();
        assertThat(jwks.path("keys").findValuesAsText("kid")).contains(kid);
        assertThat(jwks.toString()).doesNotContain("\"d\"").doesNotContain("\"p\"").doesNotContain("\"q\"");
    }
}
