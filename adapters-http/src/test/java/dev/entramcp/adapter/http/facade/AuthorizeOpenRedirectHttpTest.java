package dev.entramcp.adapter.http.facade;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /authorize} is no open redirector (security review, finding 2: RFC 9700 section 4.11.2,
 * the MCP authorization spec's "Open Redirection"). Anyone can register a client, so before the
 * person has seen anything an erroneous request goes back automatically only to a loopback
 * redirect URI; an https one gets a page naming its host, with a link the person may follow.
 */
@ExtendWith(SharedFacadeServer.class)
class AuthorizeOpenRedirectHttpTest {

    private static final String ATTACKERS_CLIENT = """
            {"client_name":"Totally legit MCP client","redirect_uris":["https://attacker.example/cb"],
             "grant_types":["authorization_code","refresh_token"],"token_endpoint_auth_method":"none"}""";

    private final FacadeTestServer server;
    private final OAuthTestClient client;
    private final OAuthTestClient.Discovery discovery;

    AuthorizeOpenRedirectHttpTest(FacadeTestServer server) {
        this.server = server;
        this.client = new OAuthTestClient(server.url());
        this.discovery = client.discover();
    }

    @Test
    void givenAClientAnyoneRegistered_anErroneousAuthorizeRequest_doesNotBounceTheBrowserToItsRedirectUri() {
        OAuthTestClient.Client evil = client.register(discovery, ATTACKERS_CLIENT);
        URI phishing = URI.create(discovery.endpoint("authorization_endpoint") + "?client_id=" + evil.clientId()
                + "&redirect_uri=" + URLEncoder.encode(evil.redirectUri(), StandardCharsets.UTF_8) + "&prompt=none");

        HttpResponse<String> answer = new OAuthTestClient(server.url()).get(phishing);

        assertThat(answer.headers().firstValue("Location").orElse(""))
                .as("/authorize answered %s and sent the browser straight to the attacker's site", answer.statusCode())
                .doesNotStartWith("https://attacker.example/");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("<strong>attacker.example</strong>").contains("not verified");
    }

    @ParameterizedTest
    @CsvSource({
            "code_challenge,,invalid_request",
            "scope,Files.ReadWrite.All,invalid_scope",
            "prompt,none,interaction_required",
            "resource,https://other.example/mcp,invalid_target"})
    void givenAnHttpsRedirectUri_anErroneousRequestBeforeConsent_answersAPageWithALinkCarryingThePreciseError(
            String parameter, String value, String error) {
        OAuthTestClient.Client web = client.register(discovery, ATTACKERS_CLIENT);
        Map<String, String> query = new LinkedHashMap<>(OAuthTestClient.query(
                client.authorizeUrl(discovery, web, OAuthTestClient.Pkce.fresh(), "s-web", "User.Read")));
        if (value == null) {
            query.remove(parameter);
        } else {
            query.put(parameter, value);
        }

        HttpResponse<String> answer = client.get(URI.create(discovery.endpoint("authorization_endpoint") + "?"
                + OAuthTestClient.form(query)));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Location")).isEmpty();
        URI link = OAuthTestClient.returnLink(answer);
        assertThat(link.toString()).startsWith("https://attacker.example/cb?");
        assertThat(OAuthTestClient.query(link)).containsEntry("error", error).containsEntry("state", "s-web")
                .containsEntry("iss", server.issuer());
    }

    @Test
    void givenAMetadataDocumentClientWithAnHttpsRedirectUri_anErroneousRequest_answersAPageNotARedirect() {
        String clientId = server.documents().url("/clients/web-app.json");
        server.documents().serve("/clients/web-app.json", DocumentServer.Answer.json("""
                {"client_id":"%s","client_name":"Web document client","redirect_uris":["https://app.example/cb"],
                 "token_endpoint_auth_method":"none"}""".formatted(clientId)));
        OAuthTestClient.Client documented = new OAuthTestClient.Client(clientId, null, "https://app.example/cb");
        Map<String, String> query = new LinkedHashMap<>(OAuthTestClient.query(
                client.authorizeUrl(discovery, documented, OAuthTestClient.Pkce.fresh(), "s-doc", "User.Read")));
        query.remove("state");

        HttpResponse<String> answer = client.get(URI.create(discovery.endpoint("authorization_endpoint") + "?"
                + OAuthTestClient.form(query)));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Location")).isEmpty();
        assertThat(answer.body()).contains("<strong>app.example</strong>");
        assertThat(OAuthTestClient.query(OAuthTestClient.returnLink(answer))).containsEntry("error", "invalid_request").doesNotContainKey("state");
    }

    @Test
    void givenAnHttpsRedirectUri_aDeclineOnTheConsentPage_stillRedirectsBackAutomatically() {
        OAuthTestClient.Client web = client.register(discovery, ATTACKERS_CLIENT);
        HttpResponse<String> page = client.get(client.authorizeUrl(discovery, web, OAuthTestClient.Pkce.fresh(), "s-no", "User.Read"));

        HttpResponse<String> declined = client.submitConsent(page, "deny");

        assertThat(declined.statusCode()).isEqualTo(303);
        URI location = URI.create(declined.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith("https://attacker.example/cb?");
        assertThat(OAuthTestClient.query(location)).containsEntry("error", "access_denied").containsEntry("state", "s-no");
    }
}
