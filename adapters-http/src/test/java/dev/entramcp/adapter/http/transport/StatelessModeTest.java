package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.transport.support.RawMcp;
import dev.entramcp.adapter.http.transport.support.TestCallerFilter;
import dev.entramcp.domain.fixtures.Callers;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code entramcp.mcp.mode: stateless}: the SDK client still works, with no session and no stream. */
@SuppressWarnings("deprecation")
@MicronautTest
@Property(name = "entramcp.mcp.mode", value = "stateless")
class StatelessModeTest {

    @Inject
    EmbeddedServer server;

    private McpSyncClient client(String caller) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(server.getURL().toString())
                .endpoint("/mcp")
                .httpRequestCustomizer((builder, method, uri, body, context) -> builder.header(TestCallerFilter.CALLER_HEADER, caller))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10)).build();
        client.initialize();
        return client;
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenStatelessMode_theSdkClient_listsAndCallsToolsPerCaller() {
        McpSyncClient alice = client("alice");
        McpSyncClient bob = client("bob");

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
        RawMcp mcp = new RawMcp(server.getURL());

        HttpResponse<String> initialized = mcp.post("/mcp", "alice", RawMcp.INITIALIZE);
        HttpResponse<String> listen = mcp.get("/mcp", "alice", "Accept", "text/event-stream");
        HttpResponse<String> delete = mcp.delete("/mcp", "alice", "Mcp-Session-Id", "anything");

        assertThat(initialized.statusCode()).isEqualTo(200);
        assertThat(initialized.headers().firstValue("Mcp-Session-Id")).isEmpty();
        assertThat(listen.statusCode()).isEqualTo(405);
        assertThat(listen.headers().firstValue("Allow")).hasValue("POST");
        assertThat(delete.statusCode()).isEqualTo(405);
    }

    @Test
    void givenStatelessMode_aScopeShortfall_isStill403WithTheChallenge() {
        RawMcp mcp = new RawMcp(server.getURL());

        HttpResponse<String> response = mcp.post("/mcp", "carol", """
                {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_user_profile","arguments":{}}}""");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"insufficient_scope\"");
    }
}
