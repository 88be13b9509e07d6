package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.TestCallers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code entramcp.mcp.legacy-sse.enabled: false} removes the legacy endpoints; {@code /mcp} stays.
 * Their paths stay protected: without a token they answer 401, not 404, so nothing is revealed.
 */
class LegacySseDisabledTest {

    private static McpTestServer server;

    @BeforeAll
    static void start() {
        server = McpTestServer.start(Map.of("entramcp.mcp.legacy-sse.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void givenLegacySseSwitchedOff_theLegacyEndpoints_areGone() {
        RawMcp mcp = server.raw();
        String alice = server.tokenFor(TestCallers.alice());

        assertThat(mcp.get("/sse", alice, "Accept", "text/event-stream").statusCode()).isEqualTo(404);
        assertThat(mcp.post("/message?sessionId=x", alice, RawMcp.INITIALIZE).statusCode()).isEqualTo(404);
        assertThat(mcp.get("/sse", null, "Accept", "text/event-stream").statusCode()).isEqualTo(401);
        assertThat(server.context().containsBean(LegacySseSessions.class)).isFalse();
        assertThat(mcp.post("/mcp", alice, RawMcp.INITIALIZE).statusCode()).isEqualTo(200);
    }
}
