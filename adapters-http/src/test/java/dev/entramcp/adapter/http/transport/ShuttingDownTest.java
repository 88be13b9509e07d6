package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.TestCallers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.entramcp.adapter.http.transport.TransportAnswersTest.answer;
import static dev.entramcp.adapter.http.transport.TransportAnswersTest.rpcError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once a transport is closing (the application is shutting down), every endpoint that would start
 * new work answers 503 with a JSON-RPC error, before it looks at the caller or the message; ending
 * a session (DELETE) is still answered. Each test closes its transports, so each starts its own
 * server.
 */
class ShuttingDownTest {

    private static final String SHUTTING_DOWN = rpcError(503, -32603, "Service Unavailable: the server is shutting down");

    @Test
    void givenClosingStatefulAndLegacyTransports_newWork_is503AndDeleteIsStillAnswered() {
        try (McpTestServer server = McpTestServer.start(Map.of())) {
            RawMcp mcp = server.raw();
            String alice = server.tokenFor(TestCallers.alice());
            String session = mcp.initialize(alice);

            server.bean(StreamableHttpSessions.class).closeGracefully().block(Duration.ofSeconds(20));
            server.bean(LegacySseSessions.class).closeGracefully().block(Duration.ofSeconds(20));

            assertThat(answer(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "Mcp-Session-Id", session))).isEqualTo(SHUTTING_DOWN);
            assertThat(answer(mcp.post("/mcp", alice, "{", "Content-Type", "text/plain", "Accept", "application/json")))
                    .as("before any other check").isEqualTo(SHUTTING_DOWN);
            assertThat(answer(mcp.get("/mcp", alice, "Accept", "text/event-stream", "Mcp-Session-Id", session)))
                    .isEqualTo(SHUTTING_DOWN);
            assertThat(answer(mcp.get("/sse", alice, "Accept", "text/event-stream"))).isEqualTo(SHUTTING_DOWN);
            assertThat(answer(mcp.post("/message?sessionId=" + session, alice, RawMcp.INITIALIZE))).isEqualTo(SHUTTING_DOWN);
            assertThat(answer(mcp.delete("/mcp", alice, "Mcp-Session-Id", session)))
                    .isEqualTo(rpcError(404, -32600, "Not Found: no such session; send initialize to start a new one"));
        }
    }

    @Test
    void givenAClosingStatelessTransport_post_is503AndStreamsStay405() {
        try (McpTestServer server = McpTestServer.start(Map.of("entramcp.mcp.mode", "stateless"))) {
            RawMcp mcp = server.raw();
            String alice = server.tokenFor(TestCallers.alice());

            server.bean(StatelessHttpTransport.class).closeGracefully().block(Duration.ofSeconds(20));

            assertThat(answer(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS))).isEqualTo(SHUTTING_DOWN);
            assertThat(answer(mcp.post("/mcp", alice, "{", "Content-Type", "text/plain", "Accept", "application/json")))
                    .as("before any other check").isEqualTo(SHUTTING_DOWN);
            assertThat(mcp.get("/mcp", alice, "Accept", "text/event-stream").statusCode()).isEqualTo(405);
        }
    }
}
