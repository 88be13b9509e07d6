package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.TestCallers;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.CallerIdentity;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static dev.entramcp.adapter.http.transport.TransportAnswersTest.answer;
import static dev.entramcp.adapter.http.transport.TransportAnswersTest.rpcError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code entramcp.mcp.mode: stateless}: the SDK client still works, with no session and no stream,
 * and authentication and the step-up 403 are the same as in stateful mode.
 */
class StatelessModeTest {

    private static final String METHOD_NOT_ALLOWED = "405 application/json Allow=POST {\"jsonrpc\":\"2.0\",\"error\":"
            + "{\"code\":-32600,\"message\":\"Method Not Allowed: this server is stateless; POST each message to /mcp\"}}";

    private static McpTestServer server;

    @BeforeAll
    static void start() {
        server = McpTestServer.start(Map.of("entramcp.mcp.mode", "stateless"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static McpSyncClient client(CallerIdentity caller) {
        String token = server.tokenFor(caller);
        McpSyncClient client = McpClient.sync(server.streamableTransport(() -> token)).requestTimeout(Duration.ofSeconds(10)).build();
        client.initialize();
        return client;
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenStatelessMode_theSdkClient_listsAndCallsToolsPerCaller() {
        McpSyncClient alice = client(TestCallers.alice());
        McpSyncClient bob = client(TestCallers.bob());

        try {
            assertThat(alice.listTools().tools()).extracting(McpSchema.Tool::name).containsExactly("whoami", "get_user_profile");
            assertThat(bob.listTools().tools()).extracting(McpSchema.Tool::name).contains("send_mail");
            McpSchema.CallToolResult result = alice.callTool(McpSchema.CallToolRequest.builder("whoami").arguments(Map.of()).build());
            assertThat(result.isError()).isFalse();
            assertThat(result.structuredContent()).isInstanceOfSatisfying(Map.class,
                    identity -> assertThat(identity).containsEntry("objectId", Callers.ALICE_OID));
        } finally {
            alice.closeGracefully();
            bob.closeGracefully();
        }
    }

    @Test
    void givenStatelessMode_initialize_returnsNoSessionAndStreamsAre405() {
        RawMcp mcp = server.raw();
        String alice = server.tokenFor(TestCallers.alice());

        HttpResponse<String> initialized = mcp.post("/mcp", alice, RawMcp.INITIALIZE);
        HttpResponse<String> listen = mcp.get("/mcp", alice, "Accept", "text/event-stream");
        HttpResponse<String> delete = mcp.delete("/mcp", alice, "Mcp-Session-Id", "anything");

        assertThat(initialized.statusCode()).isEqualTo(200);
        assertThat(initialized.headers().firstValue("Mcp-Session-Id")).isEmpty();
        assertThat(listen.statusCode()).isEqualTo(405);
        assertThat(listen.headers().firstValue("Allow")).hasValue("POST");
        assertThat(delete.statusCode()).isEqualTo(405);
    }

    @Test
    void givenStatelessMode_noTokenAndAScopeShortfall_areRefusedAsInStatefulMode() {
        RawMcp mcp = server.raw();

        HttpResponse<String> noToken = mcp.post("/mcp", null, RawMcp.INITIALIZE);
        HttpResponse<String> stepUp = mcp.post("/mcp", server.tokenFor(TestCallers.carol()), """
                {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"send_mail",\
                "arguments":{"to":["bob@contoso.example"],"subject":"Hi","body":"Hello"}}}""");

        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer resource_metadata=");
        assertThat(stepUp.statusCode()).isEqualTo(403);
        assertThat(stepUp.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"", "scope=\"api://entramcp-test/Mail.Send\"");
    }

    @Test
    void givenStatelessMode_eachCheck_answersExactlyAndOnlyAnswersToRequestsAreCorrelated() {
        RawMcp mcp = server.raw();
        String alice = server.tokenFor(TestCallers.alice());

        assertThat(answer(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "Content-Type", "text/plain", "Accept", "application/json")))
                .isEqualTo(rpcError(415, -32600, "Unsupported Media Type: Content-Type must be application/json"));
        assertThat(answer(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "Accept", "application/json")))
                .isEqualTo(rpcError(406, -32600, "Not Acceptable: the Accept header must list application/json and text/event-stream"));
        assertThat(answer(mcp.post("/mcp", alice, "{")))
                .isEqualTo(rpcError(400, -32700, "Parse error: the request body is not valid JSON"));
        assertThat(answer(mcp.post("/mcp", alice, "[]", "MCP-Protocol-Version", "1999-01-01")))
                .isEqualTo(rpcError(400, -32600, "Invalid Request: JSON-RPC batches are not supported by MCP since 2025-06-18"));
        assertThat(answer(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "MCP-Protocol-Version", "1999-01-01")))
                .isEqualTo(rpcError(400, -32600, "Bad Request: unsupported MCP-Protocol-Version 1999-01-01; "
                        + "supported: 2025-03-26, 2025-06-18, 2025-11-25"));
        assertThat(answer(mcp.post("/mcp", alice, "{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"result\":{}}")))
                .isEqualTo(rpcError(400, -32600, "Invalid Request: a stateless server sends no requests, so it expects no responses"));
        assertThat(answer(mcp.post("/mcp", alice, RawMcp.INITIALIZED))).isEqualTo("202 - ");
        assertThat(answer(mcp.post("/mcp", alice, RawMcp.INITIALIZE, "MCP-Protocol-Version", "1999-01-01")))
                .startsWith("200 application/json correlated {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{");
        assertThat(answer(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS)))
                .startsWith("200 application/json correlated {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[");
        assertThat(answer(mcp.post("/mcp", server.tokenFor(TestCallers.carol()), """
                {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"send_mail",\
                "arguments":{"to":["bob@contoso.example"],"subject":"Hi","body":"Hello"}}}""")))
                .startsWith("403 application/json correlated {\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32003,");
        assertThat(answer(mcp.get("/mcp", alice, "Accept", "text/event-stream")))
                .isEqualTo(METHOD_NOT_ALLOWED);
        assertThat(answer(mcp.delete("/mcp", alice)))
                .isEqualTo(METHOD_NOT_ALLOWED);
    }
}
