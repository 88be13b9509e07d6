package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.TestCallers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quiet streams are pinged (the SDK's {@code KeepAliveScheduler}), so the HTTP server's idle
 * timeouts do not cut them; the client's answer to a ping counts as session activity.
 */
class KeepAliveTest {

    private static McpTestServer server;

    @BeforeAll
    static void start() {
        server = McpTestServer.start(Map.of("entramcp.mcp.keep-alive-interval", "200ms"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void givenAQuietListeningStream_theServer_pingsIt() throws Exception {
        RawMcp mcp = server.raw();
        String alice = server.tokenFor(TestCallers.alice());
        String session = mcp.initialize(alice);

        try (RawMcp.SseLines lines = new RawMcp.SseLines(mcp.openStream("/mcp", alice, "Mcp-Session-Id", session).body())) {
            List<String> read = lines.until("\"method\":\"ping\"", Duration.ofSeconds(20));

            String ping = read.get(read.size() - 1).substring("data: ".length());
            String id = ping.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            assertThat(mcp.post("/mcp", alice, "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":{}}",
                    "Mcp-Session-Id", session).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void givenALegacySseStream_theServer_pingsIt() throws Exception {
        RawMcp mcp = server.raw();

        try (RawMcp.SseLines lines = new RawMcp.SseLines(mcp.openStream("/sse", server.tokenFor(TestCallers.alice())).body())) {
            assertThat(lines.until("\"method\":\"ping\"", Duration.ofSeconds(20))).isNotEmpty();
        }
    }
}
