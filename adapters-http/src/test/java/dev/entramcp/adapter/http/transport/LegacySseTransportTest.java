package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.SharedMcpServer;
import dev.entramcp.adapter.http.support.TestCallers;
import dev.entramcp.adapter.http.support.TestTokens;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.CallerIdentity;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05), on by default, with the SDK's SSE client; both
 * endpoints ({@code GET /sse} and {@code POST /message}) authenticate every request.
 */
@ExtendWith(SharedMcpServer.class)
class LegacySseTransportTest {

    private static final Pattern ENDPOINT = Pattern.compile("data: (/message\\?sessionId=[0-9a-f-]+)");

    private final McpTestServer server;
    private final RawMcp mcp;

    LegacySseTransportTest(McpTestServer server) {
        this.server = server;
        this.mcp = server.raw();
    }

    private McpSyncClient client(CallerIdentity caller) {
        String token = server.tokenFor(caller);
        McpSyncClient client = McpClient.sync(server.legacyTransport(() -> token)).requestTimeout(Duration.ofSeconds(10)).build();
        client.initialize();
        return client;
    }

    /** The message endpoint announced by the first event of a legacy stream. */
    private static String messageEndpoint(RawMcp.SseLines stream) {
        List<String> lines = stream.until("sessionId=", Duration.ofSeconds(20));
        Matcher endpoint = ENDPOINT.matcher(String.join("\n", lines));
        assertThat(endpoint.find()).as("endpoint event in %s", lines).isTrue();
        return endpoint.group(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenTheLegacyClient_initializeListAndCall_workPerCaller() {
        McpSyncClient alice = client(TestCallers.alice());
        McpSyncClient bob = client(TestCallers.bob());

        try {
            assertThat(alice.getCurrentInitializationResult().protocolVersion()).isEqualTo("2024-11-05");
            assertThat(alice.listTools().tools()).extracting(McpSchema.Tool::name).containsExactly("whoami", "get_user_profile");
            assertThat(bob.listTools().tools()).extracting(McpSchema.Tool::name).contains("send_mail");
            McpSchema.CallToolResult result = bob.callTool(McpSchema.CallToolRequest.builder("whoami").arguments(Map.of()).build());
            assertThat(result.structuredContent()).isInstanceOfSatisfying(Map.class,
                    identity -> assertThat(identity).containsEntry("objectId", Callers.BOB_OID));
        } finally {
            alice.closeGracefully();
            bob.closeGracefully();
        }
    }

    @Test
    void givenAlicesLegacySession_bobPostingToIt_isAnsweredAsUnknownAndAliceKeepsIt() {
        String alice = server.tokenFor(TestCallers.alice());
        String bob = server.tokenFor(TestCallers.bob());
        RawMcp.SseLines stream = new RawMcp.SseLines(mcp.openStream("/sse", alice).body());
        String endpoint = messageEndpoint(stream);

        HttpResponse<String> bobPost = mcp.post(endpoint, bob, RawMcp.INITIALIZE);
        HttpResponse<String> unknown = mcp.post("/message?sessionId=00000000-0000-0000-0000-000000000000", bob, RawMcp.INITIALIZE);
        HttpResponse<String> noToken = mcp.post(endpoint, null, RawMcp.INITIALIZE);
        HttpResponse<String> alicePost = mcp.post(endpoint, alice, RawMcp.INITIALIZE);

        assertThat(bobPost.statusCode()).isEqualTo(404);
        assertThat(bobPost.body()).isEqualTo(unknown.body());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(alicePost.statusCode()).isEqualTo(202);
        List<String> answer = stream.until("protocolVersion", Duration.ofSeconds(20));
        assertThat(answer).anySatisfy(line -> assertThat(line).contains("\"protocolVersion\":\"2024-11-05\""));
    }

    @Test
    void givenALegacyCallerLackingTheScope_toolsCall_is403OnThePostWithTheChallenge() {
        String carol = server.tokenFor(TestCallers.carol());
        RawMcp.SseLines stream = new RawMcp.SseLines(mcp.openStream("/sse", carol).body());
        String endpoint = messageEndpoint(stream);

        HttpResponse<String> response = mcp.post(endpoint, carol, """
                {"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"send_mail",\
                "arguments":{"to":["bob@contoso.example"],"subject":"Hi","body":"Hello"}}}""");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"", "scope=\"api://entramcp-test/Mail.Send\"");
        List<String> onStream = stream.until("\"id\":4", Duration.ofSeconds(20));
        assertThat(onStream).anySatisfy(line -> assertThat(line).contains("\"code\":-32003"));
    }

    @Test
    void givenATokenThatExpiresSoon_legacyStream_endsAndTheSessionWithIt() {
        String expiringSoon = server.token(TestCallers.alice()).expiringAt(TestTokens.soon()).signedWith(TestTokens.TENANT_KEY);

        HttpResponse<InputStream> stream = mcp.openStream("/sse", expiringSoon);
        List<String> lines = new RawMcp.SseLines(stream.body()).toEnd(Duration.ofSeconds(20));

        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("data: /message?sessionId="));
        String endpoint = lines.stream().filter(line -> line.startsWith("data: ")).findFirst().orElseThrow().substring(6);
        String alice = server.tokenFor(TestCallers.alice());
        assertThat(RawMcp.pollUntil(Duration.ofSeconds(20), () -> mcp.post(endpoint, alice, RawMcp.INITIALIZE).statusCode(),
                status -> status != 202)).as("the session ended with its stream").isEqualTo(404);
    }

    @Test
    void givenAPrincipalAtItsStreamCap_oneMoreStream_endsItsOldestOnly() throws Exception {
        // Erin exists in this test only, so no other test's streams count against her cap (32 by default).
        String erin = server.tokenFor(Callers.aCaller().withObjectId("eeeeeeee-0000-0000-0000-00000000000e")
                .withScopes("User.Read").build());
        String alice = server.tokenFor(TestCallers.alice());
        RawMcp.SseLines alicesStream = new RawMcp.SseLines(mcp.openStream("/sse", alice).body());
        String alicesEndpoint = messageEndpoint(alicesStream);
        List<RawMcp.SseLines> streams = new java.util.ArrayList<>();
        List<String> endpoints = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 33; i++) {
                RawMcp.SseLines stream = new RawMcp.SseLines(mcp.openStream("/sse", erin).body());
                streams.add(stream);
                endpoints.add(messageEndpoint(stream));
            }

            streams.get(0).toEnd(Duration.ofSeconds(20)); // fails unless the server ended the oldest stream
            assertThat(mcp.post(endpoints.get(0), erin, RawMcp.INITIALIZE).statusCode()).isEqualTo(404);
            assertThat(mcp.post(endpoints.get(1), erin, RawMcp.INITIALIZE).statusCode()).isEqualTo(202);
            assertThat(mcp.post(endpoints.get(32), erin, RawMcp.INITIALIZE).statusCode()).isEqualTo(202);
            assertThat(mcp.post(alicesEndpoint, alice, RawMcp.INITIALIZE).statusCode())
                    .as("another principal's stream is never touched").isEqualTo(202);
        } finally {
            for (RawMcp.SseLines stream : streams) {
                stream.close();
            }
            alicesStream.close();
        }
    }
}
