package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.transport.support.RawMcp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code entramcp.mcp.legacy-sse.enabled: false} removes the legacy endpoints; {@code /mcp} stays. */
@MicronautTest
@Property(name = "entramcp.mcp.legacy-sse.enabled", value = "false")
class LegacySseDisabledTest {

    @Inject
    EmbeddedServer server;

    @Inject
    ApplicationContext context;

    @Test
    void givenLegacySseSwitchedOff_theLegacyEndpoints_areGone() {
        RawMcp mcp = new RawMcp(server.getURL());

        assertThat(mcp.get("/sse", "alice", "Accept", "text/event-stream").statusCode()).isEqualTo(404);
        assertThat(mcp.post("/message?sessionId=x", "alice", RawMcp.INITIALIZE).statusCode()).isEqualTo(404);
        assertThat(context.containsBean(LegacySseSessions.class)).isFalse();
        assertThat(mcp.post("/mcp", "alice", RawMcp.INITIALIZE).statusCode()).isEqualTo(200);
    }
}
