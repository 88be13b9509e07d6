package dev.entramcp.adapter.http.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.SharedMcpServer;
import dev.entramcp.adapter.http.support.TestCallers;
import dev.entramcp.adapter.http.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stateful {@code /mcp} at the wire: statuses, headers and bodies, session binding and hygiene.
 * Every request carries a real bearer token (or none), through the real security chain.
 */
@ExtendWith(SharedMcpServer.class)
class StreamableHttpWireTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CALL_SEND_MAIL = """
            {"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"send_mail",\
            "arguments":{"to":["carol@contoso.example"],"subject":"Hi","body":"Hello"}}}""";

    private final McpTestServer server;
    private final StreamableHttpSessions sessions;
    private final RawMcp mcp;
    private final String alice;
    private final String bob;
    private final String carol;

    StreamableHttpWireTest(McpTestServer server) {
        this.server = server;
        this.sessions = server.bean(StreamableHttpSessions.class);
        this.mcp = server.raw();
        this.alice = server.tokenFor(TestCallers.alice());
        this.bob = server.tokenFor(TestCallers.bob());
        this.carol = server.tokenFor(TestCallers.carol());
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    @Test
    void givenInitialize_post_answersJsonWithASessionId() {
        HttpResponse<String> response = mcp.post("/mcp", alice, RawMcp.INITIALIZE);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Mcp-Session-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f-]{36}"));
        assertThat(json(response.body()).at("/result/protocolVersion").asText()).isEqualTo("2025-11-25");
        assertThat(json(response.body()).at("/result/serverInfo/name").asText()).isEqualTo("entra-mcp");
    }

    @Test
    void givenASession_postToolsList_answersPlainJsonWhenThereIsNothingToStream() {
        String session = mcp.initialize(alice);

        HttpResponse<String> response = mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "Mcp-Session-Id", session,
                "MCP-Protocol-Version", "2025-11-25");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(json(response.body()).at("/id").asInt()).isEqualTo(2);
        assertThat(json(response.body()).at("/result/tools/0/name").asText()).isEqualTo("whoami");
    }

    @Test
    void givenAProgressToken_postToolsCall_answersWithAnSseStreamStartingWithAComment() {
        String session = mcp.initialize(alice);

        HttpResponse<String> response = mcp.post("/mcp", alice, """
                {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"whoami","arguments":{},\
                "_meta":{"progressToken":"p"}}}""", "Mcp-Session-Id", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        assertThat(response.body()).startsWith(": response stream");
        List<String> data = RawMcp.sseData(response.body());
        assertThat(data).hasSize(2);
        assertThat(json(data.get(0)).at("/method").asText()).isEqualTo("notifications/progress");
        assertThat(json(data.get(1)).at("/id").asInt()).isEqualTo(3);
        assertThat(json(data.get(1)).at("/result/isError").asBoolean()).isFalse();
    }

    @Test
    void givenAnotherPrincipal_presentingAlicesSessionId_isAnsweredAsIfTheSessionDidNotExist() {
        String aliceSession = mcp.initialize(alice);
        HttpResponse<String> unknown = mcp.post("/mcp", bob, RawMcp.LIST_TOOLS, "Mcp-Session-Id", "00000000-0000-0000-0000-000000000000");

        HttpResponse<String> bobPost = mcp.post("/mcp", bob, RawMcp.LIST_TOOLS, "Mcp-Session-Id", aliceSession);
        HttpResponse<String> bobGet = mcp.get("/mcp", bob, "Accept", "text/event-stream", "Mcp-Session-Id", aliceSession);
        HttpResponse<String> bobDelete = mcp.delete("/mcp", bob, "Mcp-Session-Id", aliceSession);
        HttpResponse<String> otherTenant = mcp.post("/mcp", server.tokenFor(TestCallers.aliceElsewhere()), RawMcp.LIST_TOOLS, "Mcp-Session-Id", aliceSession);

        for (HttpResponse<String> refused : List.of(bobPost, bobGet, bobDelete, otherTenant)) {
            assertThat(refused.statusCode()).isEqualTo(404);
            assertThat(refused.body()).isEqualTo(unknown.body());
        }
        assertThat(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "Mcp-Session-Id", aliceSession).statusCode()).isEqualTo(200);
    }

    @Test
    void givenASession_delete_endsItAndItsIdIsThenUnknown() {
        String session = mcp.initialize(alice);

        HttpResponse<String> deleted = mcp.delete("/mcp", alice, "Mcp-Session-Id", session);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "Mcp-Session-Id", session).statusCode()).isEqualTo(404);
        assertThat(mcp.delete("/mcp", alice, "Mcp-Session-Id", session).statusCode()).isEqualTo(404);
    }

    @Test
    void givenAListeningStream_aServerNotification_arrivesOnIt() throws IOException {
        String session = mcp.initialize(alice);
        HttpResponse<InputStream> stream = mcp.openStream("/mcp", alice, "Mcp-Session-Id", session);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");

        sessions.notifyClient(session, "notifications/tools/list_changed", null).block(Duration.ofSeconds(20));

        try (RawMcp.SseLines lines = new RawMcp.SseLines(stream.body())) {
            List<String> read = lines.until("list_changed", Duration.ofSeconds(20));
            assertThat(read.get(0)).isEqualTo(": stream open");
            assertThat(read).anySatisfy(line -> assertThat(line).contains("\"method\":\"notifications/tools/list_changed\""));
        }
    }

    @Test
    void givenACallerLackingTheScope_toolsCall_is403WithTheStepUpChallengeAndAJsonRpcError() {
        String session = mcp.initialize(carol);

        HttpResponse<String> response = mcp.post("/mcp", carol, CALL_SEND_MAIL, "Mcp-Session-Id", session);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer error=\"insufficient_scope\", "
                + "error_description=\"missing scope Mail.Send\", "
                + "resource_metadata=\"https://mcp.example.test/.well-known/oauth-protected-resource/mcp\", "
                + "scope=\"api://entramcp-test/Mail.Send\"");
        JsonNode body = json(response.body());
        assertThat(body.at("/id").asInt()).isEqualTo(8);
        assertThat(body.at("/error/code").asInt()).isEqualTo(JsonRpcCodec.FORBIDDEN);
        assertThat(body.at("/error/data/requiredScopes/0").asText()).isEqualTo("Mail.Send");
    }

    @Test
    void givenACallerLackingOnlyTheRole_toolsCall_isAJsonRpcErrorNamingTheRoleWithHttp200() {
        String session = mcp.initialize(alice);

        HttpResponse<String> response = mcp.post("/mcp", alice, CALL_SEND_MAIL, "Mcp-Session-Id", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
        JsonNode body = json(response.body());
        assertThat(body.at("/id").asInt()).isEqualTo(8);
        assertThat(body.at("/error/message").asText()).isEqualTo("Forbidden: missing app role Mail.Sender");
        assertThat(body.at("/error/data/missingRoles/0").asText()).isEqualTo("Mail.Sender");
    }

    @Test
    void givenNoToken_anyMethod_is401WithTheAuthenticationLayersChallengeAndBody() {
        for (HttpResponse<String> response : List.of(
                mcp.post("/mcp", null, RawMcp.INITIALIZE),
                mcp.get("/mcp", null, "Accept", "text/event-stream", "Mcp-Session-Id", "x"),
                mcp.delete("/mcp", null, "Mcp-Session-Id", "x"))) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer resource_metadata="
                    + "\"https://mcp.example.test/.well-known/oauth-protected-resource/mcp\", scope=\"api://entramcp-test/User.Read\"");
            assertThat(RawMcp.json(response)).containsEntry("error", "unauthorized");
        }
    }

    @Test
    void givenMalformedJson_post_is400WithParseError() {
        HttpResponse<String> response = mcp.post("/mcp", alice, "{\"jsonrpc\":\"2.0\",");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(json(response.body()).has("id")).isFalse();
        RawMcp.assertNoStackTrace(response.body());
    }

    @Test
    void givenInvalidJsonRpc_post_is400WithInvalidRequest() {
        for (String invalid : List.of(
                "{\"id\":1,\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"tools/list\"}",
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}]",
                "{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":[1]}",
                "{\"jsonrpc\":\"2.0\",\"id\":1}",
                "42")) {
            HttpResponse<String> response = mcp.post("/mcp", alice, invalid);

            assertThat(response.statusCode()).as(invalid).isEqualTo(400);
            assertThat(json(response.body()).at("/error/code").asInt()).as(invalid).isEqualTo(-32600);
            RawMcp.assertNoStackTrace(response.body());
        }
    }

    @Test
    void givenABodyAboveTheLimit_post_is413WithAJsonRpcError() {
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"pad\":\"" + "x".repeat(70_000) + "\"}}";

        HttpResponse<String> response = mcp.post("/mcp", alice, big);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response.body()).at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(json(response.body()).at("/error/message").asText()).contains("65536 bytes");
    }

    @Test
    void givenADisallowedOrigin_anyRequest_is403BeforeAuthentication() {
        HttpResponse<String> lookalike = mcp.post("/mcp", alice, RawMcp.INITIALIZE, "Origin", "http://localhost.attacker.example");
        HttpResponse<String> foreign = mcp.post("/mcp", null, RawMcp.INITIALIZE, "Origin", "https://attacker.example");
        HttpResponse<String> nullOrigin = mcp.post("/mcp", alice, RawMcp.INITIALIZE, "Origin", "null");
        HttpResponse<String> allowed = mcp.post("/mcp", alice, RawMcp.INITIALIZE, "Origin", "http://localhost:5173");

        assertThat(List.of(lookalike.statusCode(), foreign.statusCode(), nullOrigin.statusCode())).containsOnly(403);
        assertThat(json(foreign.body()).at("/error/message").asText()).isEqualTo("Forbidden: this Origin is not allowed");
        assertThat(allowed.statusCode()).isEqualTo(200);
    }

    @Test
    void givenADisallowedHost_anyRequest_is403() throws IOException {
        String response = rawRequest("POST /mcp HTTP/1.1\r\nHost: rebound.attacker.example:" + server.port()
                + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                + "Authorization: Bearer " + alice + "\r\nContent-Length: " + RawMcp.INITIALIZE.length() + "\r\nConnection: close\r\n\r\n"
                + RawMcp.INITIALIZE);

        assertThat(response).startsWith("HTTP/1.1 403");
        assertThat(response).contains("Forbidden: this Host is not allowed");
    }

    @Test
    void givenWrongMediaTypes_post_isRefusedWith406Or415() {
        HttpResponse<String> onlyJson = mcp.post("/mcp", alice, RawMcp.INITIALIZE, "Accept", "application/json");
        HttpResponse<String> textBody = mcp.post("/mcp", alice, RawMcp.INITIALIZE, "Content-Type", "text/plain");

        assertThat(onlyJson.statusCode()).isEqualTo(406);
        assertThat(textBody.statusCode()).isEqualTo(415);
    }

    @Test
    void givenAnUnsupportedProtocolVersion_post_is400() {
        String session = mcp.initialize(alice);

        HttpResponse<String> response = mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "Mcp-Session-Id", session,
                "MCP-Protocol-Version", "1999-01-01");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/message").asText()).contains("unsupported MCP-Protocol-Version 1999-01-01");
    }

    @Test
    void givenNoSessionId_postAfterInitialize_is400() {
        HttpResponse<String> response = mcp.post("/mcp", alice, RawMcp.LIST_TOOLS);

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void givenANotification_post_is202WithoutBody() {
        String session = mcp.initialize(alice);

        HttpResponse<String> response = mcp.post("/mcp", alice, RawMcp.INITIALIZED, "Mcp-Session-Id", session);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void givenANameThatIsNotAString_toolsCall_isInvalidParams() {
        String session = mcp.initialize(alice);

        HttpResponse<String> response = mcp.post("/mcp", alice,
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":7}}", "Mcp-Session-Id", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).at("/error/code").asInt()).isEqualTo(-32602);
    }

    @Test
    void givenAnIdleSession_eviction_closesItAndItsIdIsThenUnknown() {
        String session = mcp.initialize(alice);

        // Evicts every session of the shared server: harmless, no test keeps a session beyond itself.
        int evicted = sessions.evictIdleSessions(java.time.Instant.now().plus(Duration.ofMinutes(31)));

        assertThat(evicted).isPositive();
        assertThat(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "Mcp-Session-Id", session).statusCode()).isEqualTo(404);
    }

    @Test
    void givenAPrincipalAtItsSessionCap_initialize_closesItsLeastRecentlyUsedSessionOnly() {
        // Dave exists in this test only, in both allowed tenants: the same oid, two principals.
        String daveOid = "dddddddd-eeee-0000-0000-00000000000d";
        String dave = server.tokenFor(dev.entramcp.domain.fixtures.Callers.aCaller().withObjectId(daveOid)
                .withScopes("User.Read").build());
        String daveElsewhere = server.tokenFor(dev.entramcp.domain.fixtures.Callers.aCaller()
                .inTenant(TestTokens.OTHER_ALLOWED_TENANT).withObjectId(daveOid).withScopes("User.Read").build());
        String elsewhere = mcp.initialize(daveElsewhere);
        List<String> daves = new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
            daves.add(mcp.initialize(dave));
        }
        assertThat(mcp.post("/mcp", dave, RawMcp.LIST_TOOLS, "Mcp-Session-Id", daves.get(0)).statusCode())
                .as("using the oldest session makes the second one the least recently used").isEqualTo(200);

        String newest = mcp.initialize(dave);

        assertThat(mcp.post("/mcp", dave, RawMcp.LIST_TOOLS, "Mcp-Session-Id", daves.get(1)).statusCode()).isEqualTo(404);
        assertThat(mcp.post("/mcp", dave, RawMcp.LIST_TOOLS, "Mcp-Session-Id", daves.get(0)).statusCode()).isEqualTo(200);
        assertThat(mcp.post("/mcp", dave, RawMcp.LIST_TOOLS, "Mcp-Session-Id", daves.get(2)).statusCode()).isEqualTo(200);
        assertThat(mcp.post("/mcp", dave, RawMcp.LIST_TOOLS, "Mcp-Session-Id", newest).statusCode()).isEqualTo(200);
        assertThat(mcp.post("/mcp", daveElsewhere, RawMcp.LIST_TOOLS, "Mcp-Session-Id", elsewhere).statusCode())
                .as("another principal's sessions are never touched").isEqualTo(200);
        for (String session : daves) {
            mcp.delete("/mcp", dave, "Mcp-Session-Id", session);
        }
        mcp.delete("/mcp", dave, "Mcp-Session-Id", newest);
        mcp.delete("/mcp", daveElsewhere, "Mcp-Session-Id", elsewhere);
    }

    @Test
    void givenATokenThatExpiresSoon_listeningStream_endsWhenTheTokenExpires() {
        String session = mcp.initialize(alice);
        String expiringSoon = server.token(TestCallers.alice()).expiringAt(TestTokens.soon()).signedWith(TestTokens.TENANT_KEY);

        HttpResponse<InputStream> stream = mcp.openStream("/mcp", expiringSoon, "Mcp-Session-Id", session);

        assertThat(stream.statusCode()).isEqualTo(200);
        List<String> lines = new RawMcp.SseLines(stream.body()).toEnd(Duration.ofSeconds(20));
        assertThat(lines).first().isEqualTo(": stream open");
        assertThat(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "Mcp-Session-Id", session).statusCode())
                .as("the session outlives the stream; a refreshed token goes on using it").isEqualTo(200);
    }

    private String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket("localhost", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
