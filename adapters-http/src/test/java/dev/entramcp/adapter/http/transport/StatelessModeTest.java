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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code entramcp.mcp.mode: stateless}: the SDK client still works, with no session and no stream,
 * and authentication and the step-up 403 are the same as in stateful mode.
 */
class StatelessModeTest {

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
}
