package dev.entramcp.adapter.http.facade;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entramcp.adapter.http.facade.store.RecordStore;
import dev.entramcp.adapter.http.facade.store.SealedRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dynamic Client Registration (RFC 7591): the redirect URI rules of web and native clients, the
 * three authentication methods, secrets kept only as keyed hashes, and client authentication at
 * {@code /token} suited to each client.
 */
@ExtendWith(SharedFacadeServer.class)
class RegistrationHttpTest {

    private final FacadeTestServer server;
    private final OAuthTestClient client;
    private final OAuthTestClient.Discovery discovery;

    RegistrationHttpTest(FacadeTestServer server) {
        this.server = server;
        this.client = new OAuthTestClient(server.url());
        this.discovery = client.discover();
    }

    private HttpResponse<String> register(String metadata) {
        return client.postJson(discovery.endpoint("registration_endpoint"), metadata);
    }

    @Test
    void givenAWebClient_register_issuesASecretForClientSecretBasicByDefault_andKeepsOnlyItsKeyedHash() {
        HttpResponse<String> answer = register("""
                {"client_name":"Web MCP client","redirect_uris":["https://app.example/oauth/callback"],
                 "grant_types":["authorization_code","refresh_token"]}""");

        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(answer.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode registered = OAuthTestClient.json(answer);
        assertThat(registered.path("token_endpoint_auth_method").asText()).isEqualTo("client_secret_basic");
        assertThat(registered.path("application_type").asText()).isEqualTo("web");
        assertThat(registered.path("client_secret").asText()).hasSize(43);
        assertThat(registered.path("client_secret_expires_at").asLong()).isZero();
        Clients.Stored stored = server.bean(SealedRecords.class)
                .read(Clients.NAMESPACE, registered.path("client_id").asText(), Clients.Stored.class).orElseThrow();
        assertThat(stored.secretHash()).doesNotContain(registered.path("client_secret").asText()).startsWith("v2$");
        byte[] raw = server.bean(RecordStore.class).get(Clients.NAMESPACE, registered.path("client_id").asText()).orElseThrow();
        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain("Web MCP client")
                .doesNotContain(registered.path("client_secret").asText());
    }

    @Test
    void givenLoopbackRedirectsWithoutApplicationType_register_makesANativeClient() {
        JsonNode registered = OAuthTestClient.json(register("""
                {"redirect_uris":["http://localhost:3334/oauth/callback"],"token_endpoint_auth_method":"none"}"""));

        assertThat(registered.path("application_type").asText()).isEqualTo("native");
        assertThat(registered.has("client_secret")).isFalse();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "web, http://127.0.0.1:8080/callback",
            "web, https://localhost/callback",
            "web, http://app.example/callback",
            "native, http://app.example/callback",
            "native, com.example.app:/callback",
            "native, https://app.example/callback#fragment",
            "native, https://user@app.example/callback",
            "native, relative/callback"})
    void givenARedirectUriThatBreaksTheRulesOfItsApplicationType_register_refusesIt(String type, String uri) {
        HttpResponse<String> answer = register("{\"application_type\":\"" + type + "\",\"redirect_uris\":[\"" + uri + "\"]}");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(OAuthTestClient.json(answer).path("error").asText()).isEqualTo("invalid_redirect_uri");
    }

    @Test
    void givenANativeClientWithAClaimedHttpsRedirect_register_acceptsIt() {
        HttpResponse<String> answer = register("""
                {"application_type":"native","redirect_uris":["https://app.example/native-callback"],
                 "token_endpoint_auth_method":"none"}""");

        assertThat(answer.statusCode()).isEqualTo(201);
    }

    @Test
    void givenUnsupportedMetadata_register_answersInvalidClientMetadata() {
        assertThat(OAuthTestClient.json(register("""
                {"redirect_uris":["https://app.example/cb"],"token_endpoint_auth_method":"private_key_jwt"}""")).path("error").asText())
                .isEqualTo("invalid_client_metadata");
        assertThat(OAuthTestClient.json(register("""
                {"redirect_uris":["https://app.example/cb"],"grant_types":["client_credentials"]}""")).path("error").asText())
                .isEqualTo("invalid_client_metadata");
        assertThat(OAuthTestClient.json(register("""
                {"redirect_uris":["https://app.example/cb"],"response_types":["token"]}""")).path("error").asText())
                .isEqualTo("invalid_client_metadata");
        assertThat(OAuthTestClient.json(register("not json")).path("error").asText()).isEqualTo("invalid_client_metadata");
        assertThat(client.post(discovery.endpoint("registration_endpoint"), "application/x-www-form-urlencoded",
                "redirect_uris=https://app.example/cb").statusCode()).isEqualTo(400);
    }

    @Test
    void givenAClientNameWithControlAndBidiCharacters_register_keepsOnlyThePrintablePart() {
        JsonNode registered = OAuthTestClient.json(register("""
                {"client_name":"Trusted\\u202e App\\u0007","redirect_uris":["https://app.example/cb"]}"""));

        assertThat(registered.path("client_name").asText()).isEqualTo("Trusted App");
    }

    @Test
    void givenAConfidentialClient_token_acceptsItsSecretInBasic_andRefusesAWrongOneWith401AndABasicChallenge() {
        JsonNode registered = OAuthTestClient.json(register("""
                {"client_name":"Web MCP client","redirect_uris":["https://app.example/oauth/callback"],
                 "grant_types":["authorization_code","refresh_token"]}"""));
        OAuthTestClient.Client web = new OAuthTestClient.Client(registered.path("client_id").asText(),
                registered.path("client_secret").asText(), "https://app.example/oauth/callback");
        OAuthTestClient.Pkce pkce = OAuthTestClient.Pkce.fresh();
        URI back = client.authorizeInBrowser(client.authorizeUrl(discovery, web, pkce, "s", "User.Read"), server.upstream(),
                FacadeUsers.aUser("Nora"));
        Map<String, String> form = Map.of("grant_type", "authorization_code", "code", OAuthTestClient.query(back).get("code"),
                "redirect_uri", web.redirectUri(), "code_verifier", pkce.verifier());

        HttpResponse<String> wrongSecret = client.postForm(discovery.endpoint("token_endpoint"), form,
                "Authorization", basic(web.clientId(), "not-the-secret"));
        HttpResponse<String> noSecret = client.postForm(discovery.endpoint("token_endpoint"),
                Map.of("grant_type", "authorization_code", "code", "x", "redirect_uri", web.redirectUri(),
                        "code_verifier", pkce.verifier(), "client_id", web.clientId()));

        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(OAuthTestClient.json(wrongSecret).path("error").asText()).isEqualTo("invalid_client");
        assertThat(wrongSecret.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Basic ");
        assertThat(noSecret.statusCode()).isEqualTo(401);
        assertThat(OAuthTestClient.json(noSecret).path("error_description").asText()).contains("client_secret_basic");

        URI again = client.authorizeInBrowser(client.authorizeUrl(discovery, web, pkce, "s", "User.Read"), server.upstream(),
                FacadeUsers.aUser("Nora"));
        HttpResponse<String> rightSecret = client.postForm(discovery.endpoint("token_endpoint"),
                Map.of("grant_type", "authorization_code", "code", OAuthTestClient.query(again).get("code"),
                        "redirect_uri", web.redirectUri(), "code_verifier", pkce.verifier()),
                "Authorization", basic(web.clientId(), web.clientSecret()));
        assertThat(rightSecret.statusCode()).as(rightSecret.body()).isEqualTo(200);
    }

    @Test
    void givenAPublicClientSendingASecret_token_refusesIt() {
        OAuthTestClient.Client registered = client.registerPublicClient(discovery);

        HttpResponse<String> answer = client.postForm(discovery.endpoint("token_endpoint"),
                Map.of("grant_type", "refresh_token", "refresh_token", "rt1.x", "client_id", registered.clientId(),
                        "client_secret", "made-up"));

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(OAuthTestClient.json(answer).path("error").asText()).isEqualTo("invalid_client");
    }

    private static String basic(String id, String secret) {
        String pair = URLEncoder.encode(id, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
