package dev.entramcp.adapter.http.facade;

import com.nimbusds.jwt.SignedJWT;
import dev.entramcp.adapter.http.support.RawMcp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client known by its Client ID Metadata Document instead of a registration: its
 * {@code client_id} is the https URL of the document (served here from loopback, which this test
 * server allows, as the demo does), and the whole flow works with it; documents that lie about
 * their URL, carry a secret, or live on a forbidden address are refused with an error page.
 */
@ExtendWith(SharedFacadeServer.class)
class MetadataDocumentClientHttpTest {

    private static final String TOOL_CALL = """
            {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"whoami","arguments":{}}}""";

    private final FacadeTestServer server;
    private final OAuthTestClient client;
    private final OAuthTestClient.Discovery discovery;

    MetadataDocumentClientHttpTest(FacadeTestServer server) {
        this.server = server;
        this.client = new OAuthTestClient(server.url());
        this.discovery = client.discover();
    }

    private OAuthTestClient.Client documentClient(String path, String documentClientId, String extra) {
        String clientId = server.documents().url(path);
        server.documents().serve(path, DocumentServer.Answer.json("""
                {"client_id":"%s","client_name":"Document client","redirect_uris":["http://127.0.0.1:53682/callback"],
                 "grant_types":["authorization_code","refresh_token"],"token_endpoint_auth_method":"none"%s}"""
                .formatted(documentClientId == null ? clientId : documentClientId, extra)));
        return new OAuthTestClient.Client(clientId, null, "http://127.0.0.1:53682/callback");
    }

    @Test
    void givenAMetadataDocumentClient_theWholeFlow_worksWithItsUrlAsClientId() throws Exception {
        assertThat(discovery.authorizationServer().path("client_id_metadata_document_supported").asBoolean()).isTrue();
        OAuthTestClient.Client documented = documentClient("/clients/good.json", null, "");
        OAuthTestClient.Pkce pkce = OAuthTestClient.Pkce.fresh();
        URI authorize = client.authorizeUrl(discovery, documented, pkce, "s-doc", "User.Read");

        HttpResponse<String> consent = client.get(authorize);
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("Document client").contains("hosted at <strong>localhost</strong>");
        URI back = client.authorizeInBrowser(authorize, server.upstream(), FacadeUsers.aUser("Olga"));
        HttpResponse<String> tokens = client.redeem(discovery, documented, OAuthTestClient.query(back).get("code"), pkce);

        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        String accessToken = OAuthTestClient.json(tokens).path("access_token").asText();
        assertThat(SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim("azp")).isEqualTo(documented.clientId());
        RawMcp mcp = server.mcp().raw();
        String session = mcp.initialize(accessToken);
        assertThat(mcp.post("/mcp", accessToken, TOOL_CALL, "Mcp-Session-Id", session).body()).contains("Olga");
        assertThat(client.refresh(discovery, documented, OAuthTestClient.json(tokens).path("refresh_token").asText()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void givenADocumentWhoseClientIdIsNotItsOwnUrl_authorize_answersAnErrorPage() {
        OAuthTestClient.Client liar = documentClient("/clients/liar.json", "https://trusted.example/client.json", "");

        HttpResponse<String> answer = client.get(client.authorizeUrl(discovery, liar, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Location")).isEmpty();
        assertThat(answer.body()).contains("its own URL");
    }

    @Test
    void givenADocumentCarryingASecret_authorize_answersAnErrorPage() {
        OAuthTestClient.Client withSecret = documentClient("/clients/secret.json", null, ",\"client_secret\":\"s3cret\"");

        HttpResponse<String> answer = client.get(client.authorizeUrl(discovery, withSecret, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("secret").doesNotContain("s3cret");
    }

    @Test
    void givenAClientIdOnAPrivateAddressOrRedirecting_authorize_answersAnErrorPage() {
        server.documents().serve("/clients/moved.json", new DocumentServer.Answer(302,
                Map.of("Location", server.documents().url("/clients/good.json")), new byte[0]));
        OAuthTestClient.Client privateAddress = new OAuthTestClient.Client("https://10.20.30.40/client.json", null,
                "http://127.0.0.1:53682/callback");
        OAuthTestClient.Client redirecting = new OAuthTestClient.Client(server.documents().url("/clients/moved.json"), null,
                "http://127.0.0.1:53682/callback");

        HttpResponse<String> toPrivate = client.get(client.authorizeUrl(discovery, privateAddress, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
        HttpResponse<String> toRedirect = client.get(client.authorizeUrl(discovery, redirecting, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));

        assertThat(toPrivate.statusCode()).isEqualTo(400);
        assertThat(toPrivate.body()).contains("private address");
        assertThat(toRedirect.statusCode()).isEqualTo(400);
        assertThat(toRedirect.body()).contains("redirect");
        assertThat(toRedirect.headers().firstValue("Location")).isEmpty();
    }
}
