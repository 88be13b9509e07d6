package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.transport.support.RawMcp;
import dev.entramcp.adapter.http.transport.support.TestCallerFilter;
import dev.entramcp.domain.fixtures.Callers;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The legacy HTTP+SSE transport (MCP 2024-11-05), on by default, with the SDK's SSE client. */
@SuppressWarnings("deprecation")
@MicronautTest
class LegacySseTransportTest {

    @Inject
    EmbeddedServer server;

    @Inject
    LegacySseSessions sessions;

    private McpSyncClient client(String caller) {
        HttpClientSseClientTransport transport = HttpClientSseClientTransport.builder(server.getURL().toString())
                .sseEndpoint("/sse")
                .httpRequestCustomizer((builder, method, uri, body, context) -> builder.header(TestCallerFilter.CALLER_HEADER, caller))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10)).build();
        client.initialize();
        return client;
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenTheLegacyClient_initializeListAndCall_workPerCaller() {
        McpSyncClient alice = client("alice");
        McpSyncClient bob = client("bob");

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
        RawMcp mcp = new RawMcp(server.getURL());
        RawMcp.SseLines stream = new RawMcp.SseLines(mcp.openStream("/sse", "alice").body());
        List<String> lines = stream.until("sessionId=", Duration.ofSeconds(5));
        Matcher endpoint = Pattern.compile("data: (/message\\?sessionId=[0-9a-f-]+)").matcher(String.join("\n", lines));
        assertThat(endpoint.find()).as("endpoint event in %s", lines).isTrue();

        HttpResponse<String> bob = mcp.post(endpoint.group(1), "bob", RawMcp.INITIALIZE);
        HttpResponse<String> unknown = mcp.post("/message?sessionId=00000000-0000-0000-0000-000000000000", "bob", RawMcp.INITIALIZE);
        HttpResponse<String> alice = mcp.post(endpoint.group(1), "alice", RawMcp.INITIALIZE);

        assertThat(bob.statusCode()).isEqualTo(404);
        assertThat(bob.body()).isEqualTo(unknown.body());
        assertThat(alice.statusCode()).isEqualTo(202);
        List<String> answer = stream.until("protocolVersion", Duration.ofSeconds(5));
        assertThat(answer).anySatisfy(line -> assertThat(line).contains("\"protocolVersion\":\"2024-11-05\""));
    }

    @Test
    void givenALegacyCallerLackingTheScope_toolsCall_is403OnThePostWithTheChallenge() {
        RawMcp mcp = new RawMcp(server.getURL());
        RawMcp.SseLines stream = new RawMcp.SseLines(mcp.openStream("/sse", "carol").body());
        List<String> lines = stream.until("sessionId=", Duration.ofSeconds(5));
        Matcher endpoint = Pattern.compile("data: (/message\\?sessionId=[0-9a-f-]+)").matcher(String.join("\n", lines));
        assertThat(endpoint.find()).isTrue();

        HttpResponse<String> response = mcp.post(endpoint.group(1), "carol", """
                {"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get_user_profile","arguments":{}}}""");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"", "scope=\"api://entra-mcp-test/User.Read\"");
        List<String> onStream = stream.until("\"id\":4", Duration.ofSeconds(5));
        assertThat(onStream).anySatisfy(line -> assertThat(line).contains("\"code\":-32003"));
    }

    @Test
    void givenATokenThatExpiresSoon_legacyStream_endsAndTheSessionWithIt() {
        RawMcp mcp = new RawMcp(server.getURL());
        int before = sessions.sessionCount();

        HttpResponse<InputStream> stream = mcp.openStream("/sse", "alice", "X-Test-Token-Ttl-Millis", "300");
        List<String> lines = new RawMcp.SseLines(stream.body()).toEnd(Duration.ofSeconds(5));

        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("data: /message?sessionId="));
        assertThat(sessions.sessionCount()).isLessThanOrEqualTo(before);
    }
}
