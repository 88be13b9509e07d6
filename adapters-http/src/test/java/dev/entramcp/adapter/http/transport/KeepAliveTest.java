package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.transport.support.RawMcp;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quiet streams are pinged (the SDK's {@code KeepAliveScheduler}), so the HTTP server's idle
 * timeouts do not cut them; the client's answer to a ping counts as session activity.
 */
@MicronautTest
@Property(name = "entramcp.mcp.keep-alive-interval", value = "200ms")
class KeepAliveTest {

    @Inject
    EmbeddedServer server;

    @Test
    void givenAQuietListeningStream_theServer_pingsIt() throws Exception {
        RawMcp mcp = new RawMcp(server.getURL());
        String session = mcp.initialize("alice");

        try (RawMcp.SseLines lines = new RawMcp.SseLines(mcp.openStream("/mcp", "alice", "Mcp-Session-Id", session).body())) {
            List<String> read = lines.until("\"method\":\"ping\"", Duration.ofSeconds(5));

            String ping = read.get(read.size() - 1).substring("data: ".length());
            String id = ping.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            assertThat(mcp.post("/mcp", "alice", "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":{}}",
                    "Mcp-Session-Id", session).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void givenALegacySseStream_theServer_pingsIt() throws Exception {
        RawMcp mcp = new RawMcp(server.getURL());

        try (RawMcp.SseLines lines = new RawMcp.SseLines(mcp.openStream("/sse", "alice").body())) {
            assertThat(lines.until("\"method\":\"ping\"", Duration.ofSeconds(5))).isNotEmpty();
        }
    }
}
