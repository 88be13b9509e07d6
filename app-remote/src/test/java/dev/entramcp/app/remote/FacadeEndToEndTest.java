package dev.entramcp.app.remote;

import com.nimbusds.jwt.SignedJWT;
import dev.entramcp.emulator.EmulatorControl;
import dev.entramcp.emulator.EntraEmulator;
import dev.entramcp.emulator.Grant;
import dev.entramcp.emulator.GraphRequest;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code --demo --facade} end to end: the real composition root, the real msal4j confidential
 * client, the facade, Graph, all against the Entra emulator, with {@link FacadeDemoClient} as the
 * MCP client that knows nothing but the server's URL. The emulator's automatic approval is off, so
 * "the browser" signs in on its sign-in page as the user each test names. One server serves all
 * tests; each signs in anew.
 */
class FacadeEndToEndTest {

    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",\
            "capabilities":{},"clientInfo":{"name":"e2e","version":"1.0"}}}""";

    @TempDir
    static Path temp;

    private static RemoteApplication.Running running;
    private static FacadeDocumentServer documents;
    private static URI server;
    private static String banner;

    @BeforeAll
    static void start() throws Exception {
        documents = FacadeDocumentServer.start(temp);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        running = RemoteApplication.start(RemoteOptions.parse(new String[]{"--demo", "--facade",
                "-micronaut.server.port=" + port,
                "-entramcp.facade.cimd.trust-pem=" + documents.certificate()}), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        banner = stderr.toString(StandardCharsets.UTF_8);
        server = URI.create("http://localhost:" + port);
        control().autoApprove(null);
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
        if (documents != null) {
            documents.close();
        }
    }

    @AfterEach
    void resetEmulator() {
        control().setAccessTokenLifetime(Duration.ofMinutes(60));
    }

    private static EmulatorControl control() {
        return emulator().control();
    }

    private static EntraEmulator emulator() {
        return running.emulator().orElseThrow();
    }

    private static FacadeDemoClient clientSigningInAs(String user) {
        return new FacadeDemoClient(emulator().sslContext(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), user);
    }

    private static McpSyncClient mcp(String accessToken) {
        return new DemoClient(emulator().sslContext(), System.out).connect(server, accessToken);
    }

    private static HttpResponse<String> initializeWith(String accessToken) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.resolve("/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + accessToken).POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void givenTheDemoBanner_itSaysHowToRunAClientThatRegistersItself() {
        assertThat(banner).contains("FACADE").contains("FacadeDemoClient " + server).contains("--cacert " + emulator().trustPem());
    }

    @Test
    void givenAClientThatRegistersItself_theWholeFlowWithTheEmulator_callsGraphAsTheUserThenRefreshesThenRevokes() throws Exception {
        FacadeDemoClient client = clientSigningInAs("bob");
        control().clearRecords();

        FacadeDemoClient.Session session = client.signIn(server, Optional.empty());

        assertThat(SignedJWT.parse(session.accessToken()).getJWTClaimsSet().getIssuer()).isEqualTo(server.toString());
        assertThat(SignedJWT.parse(session.accessToken()).getJWTClaimsSet().getStringListClaim("roles")).containsExactly("Mail.Sender");
        assertThat(session.scope()).isEqualTo("GroupMember.Read.All Mail.Send User.Read");
        try (McpSyncClient mcp = mcp(session.accessToken())) {
            assertThat(mcp.listTools().tools()).extracting(McpSchema.Tool::name).contains("get_user_profile", "send_mail");
            McpSchema.CallToolResult profile = mcp.callTool(new McpSchema.CallToolRequest("get_user_profile", Map.of()));
            assertThat(profile.isError()).isFalse();
            assertThat(((McpSchema.TextContent) profile.content().get(0)).text()).contains("Bob Baker");
        }
        List<GraphRequest> graphCalls = control().graphRequests();
        assertThat(graphCalls).isNotEmpty().allSatisfy(call -> {
            assertThat(call.tokenClaims().get("aud")).isEqualTo(EntraEmulator.GRAPH_APP_ID);
            assertThat(call.bearerToken()).isNotEqualTo(Optional.of(session.accessToken()));
        });

        FacadeDemoClient.Session refreshed = client.refresh(session);
        assertThat(initializeWith(refreshed.accessToken()).statusCode()).isEqualTo(200);
        client.revoke(refreshed);
        HttpResponse<String> afterRevocation = initializeWith(refreshed.accessToken());
        assertThat(afterRevocation.statusCode()).isEqualTo(401);
        assertThat(afterRevocation.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("resource_metadata=\"" + server + "/.well-known/oauth-protected-resource/mcp\"");
    }

    @Test
    void givenARevocationTheServerRefuses_revoke_failsInsteadOfReportingTheGrantGone() throws Exception {
        FacadeDemoClient client = clientSigningInAs("alice");
        FacadeDemoClient.Session session = client.signIn(server, Optional.empty());
        FacadeDemoClient.Session unknownClient = new FacadeDemoClient.Session(session.discovery(), "no-such-client",
                session.accessToken(), session.refreshToken(), session.scope());

        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> client.revoke(unknownClient))
                .withMessageContaining("revocation refused: HTTP 401 invalid_client");
        assertThat(initializeWith(session.accessToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void givenAClientKnownByItsMetadataDocument_theWholeFlow_worksWithItsUrlAsClientId() throws Exception {
        String clientId = documents.publish("/mcp/client.json", "Document-described client", "http://127.0.0.1:53682/callback");

        FacadeDemoClient.Session session = clientSigningInAs("alice").signIn(server, Optional.of(clientId));

        assertThat(SignedJWT.parse(session.accessToken()).getJWTClaimsSet().getStringClaim("azp")).isEqualTo(clientId);
        try (McpSyncClient mcp = mcp(session.accessToken())) {
            McpSchema.CallToolResult profile = mcp.callTool(new McpSchema.CallToolRequest("get_user_profile", Map.of()));
            assertThat(((McpSchema.TextContent) profile.content().get(0)).text()).contains("Alice Adams");
        }
    }

    @Test
    void givenTheStoredEntraAccessTokenAboutToExpire_aToolCall_refreshesItAtEntraTransparently() throws Exception {
        control().setAccessTokenLifetime(Duration.ofSeconds(30));
        FacadeDemoClient.Session session = clientSigningInAs("alice").signIn(server, Optional.empty());
        int refreshesBefore = control().counters().tokenRequests(Grant.REFRESH_TOKEN);

        try (McpSyncClient mcp = mcp(session.accessToken())) {
            McpSchema.CallToolResult profile = mcp.callTool(new McpSchema.CallToolRequest("get_user_profile", Map.of()));

            assertThat(profile.isError()).isFalse();
            assertThat(((McpSchema.TextContent) profile.content().get(0)).text()).contains("Alice Adams");
        }
        assertThat(control().counters().tokenRequests(Grant.REFRESH_TOKEN)).isGreaterThan(refreshesBefore);
    }

    @Test
    void givenTheUsersRefreshTokensRevokedAtEntra_theNextRequest_getsACleanChallengingUnauthorized() throws Exception {
        control().setAccessTokenLifetime(Duration.ofSeconds(30));
        FacadeDemoClient.Session session = clientSigningInAs("alice").signIn(server, Optional.empty());
        control().revokeRefreshTokens("alice");

        HttpResponse<String> refused = initializeWith(session.accessToken());

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"")
                .contains("resource_metadata=");
        assertThat(refused.body()).contains("sign in again").doesNotContain("Exception").doesNotContain("AADSTS");
    }

    @Test
    void givenAlicesSessionAndBobsToken_theSession_isUnknownToBob() throws Exception {
        FacadeDemoClient.Session alice = clientSigningInAs("alice").signIn(server, Optional.empty());
        FacadeDemoClient.Session bob = clientSigningInAs("bob").signIn(server, Optional.empty());
        HttpResponse<String> opened = initializeWith(alice.accessToken());
        String sessionId = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();

        HttpResponse<String> hijack = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.resolve("/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + bob.accessToken()).header("Mcp-Session-Id", sessionId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(hijack.statusCode()).isEqualTo(404);
    }
}
