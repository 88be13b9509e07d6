package dev.entramcp.adapter.http.facade;

import com.nimbusds.jwt.SignedJWT;
import dev.entramcp.adapter.http.support.RawMcp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client known by its Client ID Metadata Document instead of a registration: its
 * {@code client_id} is the https URL of the document (served here from loopback, which this test
 * server allows, as the demo does), and the whole flow works with it; documents that lie about
 * their URL, carry a secret, or live on a forbidden address are refused with an error page.
 */
@ExtendWith(SharedFacadeServer.class)
class MetadataDocumentClientHttpTest {

    private static final String UNKNOWN = "does not know the application that sent you here";
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
    void givenADocumentWhoseClientIdIsNotItsOwnUrl_authorize_answersAnErrorPageAndLogsWhy() {
        OAuthTestClient.Client liar = documentClient("/clients/liar.json", "https://trusted.example/client.json", "");

        HttpResponse<String> answer;
        try (LogRecorder log = LogRecorder.of(Clients.class)) {
            answer = client.get(client.authorizeUrl(discovery, liar, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
            assertThat(log.messages()).anyMatch(message -> message.contains("its own URL"));
        }

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Location")).isEmpty();
        assertThat(answer.body()).contains(UNKNOWN).doesNotContain("its own URL");
    }

    @Test
    void givenADocumentCarryingASecret_authorize_answersAnErrorPageAndLogsWhyWithoutTheSecret() {
        OAuthTestClient.Client withSecret = documentClient("/clients/secret.json", null, ",\"client_secret\":\"s3cret\"");

        HttpResponse<String> answer;
        try (LogRecorder log = LogRecorder.of(Clients.class)) {
            answer = client.get(client.authorizeUrl(discovery, withSecret, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
            assertThat(log.messages()).anyMatch(message -> message.contains("secret")).noneMatch(message -> message.contains("s3cret"));
        }

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains(UNKNOWN).doesNotContain("s3cret");
    }

    /**
     * Security review, finding 4: the browser learns that the client is unknown, never why a fetch
     * failed (which would make the server a reachability oracle for whoever names a URL); the
     * operator's log says why.
     */
    @Test
    void givenAClientIdOnAPrivateAddressOrRedirecting_authorize_answersTheSameGenericPageAndLogsWhy() {
        server.documents().serve("/clients/moved.json", new DocumentServer.Answer(302,
                Map.of("Location", server.documents().url("/clients/good.json")), new byte[0]));
        OAuthTestClient.Client privateAddress = new OAuthTestClient.Client("https://10.20.30.40/client.json", null,
                "http://127.0.0.1:53682/callback");
        OAuthTestClient.Client redirecting = new OAuthTestClient.Client(server.documents().url("/clients/moved.json"), null,
                "http://127.0.0.1:53682/callback");

        HttpResponse<String> toPrivate;
        HttpResponse<String> toRedirect;
        try (LogRecorder log = LogRecorder.of(Clients.class)) {
            toPrivate = client.get(client.authorizeUrl(discovery, privateAddress, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
            toRedirect = client.get(client.authorizeUrl(discovery, redirecting, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
            assertThat(log.messages()).anyMatch(message -> message.contains("private address"))
                    .anyMatch(message -> message.contains("redirects"));
        }

        assertThat(toPrivate.statusCode()).isEqualTo(400);
        assertThat(toRedirect.statusCode()).isEqualTo(400);
        assertThat(toRedirect.headers().firstValue("Location")).isEmpty();
        assertThat(toPrivate.body()).isEqualTo(toRedirect.body()).contains(UNKNOWN).doesNotContain("private")
                .doesNotContain("redirect");
    }

    @Test
    void givenADocumentThatWasRefused_namingItAgain_fetchesNothingUntilTheRefusalIsForgotten() {
        String path = "/clients/missing.json";
        OAuthTestClient.Client missing = new OAuthTestClient.Client(server.documents().url(path), null,
                "http://127.0.0.1:53682/callback");

        HttpResponse<String> first = client.get(client.authorizeUrl(discovery, missing, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
        HttpResponse<String> second = client.get(client.authorizeUrl(discovery, missing, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));

        assertThat(List.of(first.statusCode(), second.statusCode())).containsExactly(400, 400);
        assertThat(server.documents().requests(path)).isEqualTo(1);
    }

    @Test
    void givenAsManyFetchesInFlightAsAllowed_anotherDocument_isRefusedAtOnceWithoutBeingFetched() throws Exception {
        try (FacadeTestServer oneAtATime = FacadeTestServer.start(Map.of("entramcp.facade.cimd.max-concurrent-fetches", 1,
                "entramcp.facade.cimd.fetch-timeout", "20s"))) {
            OAuthTestClient browser = new OAuthTestClient(oneAtATime.url());
            OAuthTestClient.Discovery onIt = browser.discover();
            DocumentServer documents = oneAtATime.documents();
            CountDownLatch release = new CountDownLatch(1);
            String slowId = documents.url("/clients/slow.json");
            documents.serve("/clients/slow.json", document(slowId)).holdUntil("/clients/slow.json", release);
            documents.serve("/clients/other.json", document(documents.url("/clients/other.json")));
            OAuthTestClient.Client slow = new OAuthTestClient.Client(slowId, null, "http://127.0.0.1:53682/callback");
            OAuthTestClient.Client other = new OAuthTestClient.Client(documents.url("/clients/other.json"), null,
                    "http://127.0.0.1:53682/callback");
            ExecutorService background = Executors.newSingleThreadExecutor();
            try {
                Future<HttpResponse<String>> slowAnswer = background.submit(() ->
                        browser.get(browser.authorizeUrl(onIt, slow, OAuthTestClient.Pkce.fresh(), "s", "User.Read")));
                assertThat(documents.awaitRequest("/clients/slow.json", 10)).isTrue();

                HttpResponse<String> refused = browser.get(browser.authorizeUrl(onIt, other, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
                release.countDown();

                assertThat(refused.statusCode()).isEqualTo(400);
                assertThat(refused.body()).contains(UNKNOWN);
                assertThat(documents.requests("/clients/other.json")).isZero();
                assertThat(slowAnswer.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                assertThat(browser.get(browser.authorizeUrl(onIt, other, OAuthTestClient.Pkce.fresh(), "s", "User.Read"))
                        .statusCode()).isEqualTo(200);
            } finally {
                release.countDown();
                background.shutdownNow();
            }
        }
    }

    private static DocumentServer.Answer document(String clientId) {
        return DocumentServer.Answer.json("""
                {"client_id":"%s","client_name":"Document client","redirect_uris":["http://127.0.0.1:53682/callback"],
                 "token_endpoint_auth_method":"none"}""".formatted(clientId));
    }
}
