package dev.entramcp.adapter.http.facade;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** What the facade advertises, and to whom: RFC 8414 at both well-known paths, PRM pointing here, CORS for browser clients. */
@ExtendWith(SharedFacadeServer.class)
class AuthorizationServerMetadataHttpTest {

    private final FacadeTestServer server;
    private final OAuthTestClient client;

    AuthorizationServerMetadataHttpTest(FacadeTestServer server) {
        this.server = server;
        this.client = new OAuthTestClient(server.url());
    }

    @Test
    void givenBothWellKnownPaths_theyServeTheSameMetadataWithS256OnlyAndEveryEndpointUnderTheIssuer() {
        JsonNode rfc8414 = OAuthTestClient.json(client.get(server.url().resolve("/.well-known/oauth-authorization-server")));
        JsonNode openid = OAuthTestClient.json(client.get(server.url().resolve("/.well-known/openid-configuration")));

        assertThat(openid).isEqualTo(rfc8414);
        assertThat(rfc8414.path("issuer").asText()).isEqualTo(server.issuer());
        assertThat(rfc8414.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(rfc8414.path("grant_types_supported").toString()).isEqualTo("[\"authorization_code\",\"refresh_token\"]");
        assertThat(rfc8414.path("token_endpoint_auth_methods_supported").toString())
                .isEqualTo("[\"none\",\"client_secret_basic\",\"client_secret_post\"]");
        assertThat(rfc8414.path("client_id_metadata_document_supported").asBoolean()).isTrue();
        assertThat(rfc8414.path("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
        for (String endpoint : new String[]{"authorization_endpoint", "token_endpoint", "registration_endpoint",
                "revocation_endpoint", "jwks_uri"}) {
            String url = rfc8414.path(endpoint).asText();
            assertThat(url).startsWith(server.issuer() + "/");
            assertThat(URI.create(url).getPath()).doesNotStartWith("/mcp").doesNotStartWith("/sse").doesNotStartWith("/message");
        }
    }

    @Test
    void givenTheResourceMetadataAndThe401Challenge_theyNameThisServerAndThePlainScopeNames() {
        HttpResponse<String> challenge = server.mcp().raw().request("POST", "/mcp");
        JsonNode prm = OAuthTestClient.json(client.get(server.url().resolve("/.well-known/oauth-protected-resource/mcp")));

        assertThat(challenge.statusCode()).isEqualTo(401);
        assertThat(challenge.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("scope=\"User.Read\"");
        assertThat(prm.path("authorization_servers").toString()).isEqualTo("[\"" + server.issuer() + "\"]");
        assertThat(prm.path("resource").asText()).isEqualTo(server.issuer() + "/mcp");
        assertThat(prm.path("scopes_supported").toString()).isEqualTo("[\"User.Read\",\"Mail.Send\"]");
    }

    @Test
    void givenAPublicClientInABrowserPageOnAnotherOrigin_itsFormPostToTheTokenEndpoint_isReadableWithoutCredentials() {
        HttpResponse<String> answer = client.postForm(server.url().resolve("/token"), java.util.Map.of("grant_type", "password"),
                "Origin", "http://localhost:6274");

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(answer.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }
}
