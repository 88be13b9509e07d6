package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.transport.support.RawMcp;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-principal token bucket at the wire: 429 with {@code Retry-After}, one principal at a time. */
@MicronautTest
@Property(name = "entramcp.mcp.rate-limit.requests-per-second", value = "0.01")
@Property(name = "entramcp.mcp.rate-limit.burst", value = "3")
class RateLimitTest {

    @Inject
    EmbeddedServer server;

    @Test
    void givenAPrincipalOverItsBurst_nextRequest_is429WithRetryAfterAndOthersAreUnaffected() {
        RawMcp mcp = new RawMcp(server.getURL());
        for (int i = 0; i < 3; i++) {
            assertThat(mcp.post("/mcp", "alice", RawMcp.INITIALIZE).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> limited = mcp.post("/mcp", "alice", RawMcp.INITIALIZE);
        HttpResponse<String> bob = mcp.post("/mcp", "bob", RawMcp.INITIALIZE);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("100");
        assertThat(limited.body()).contains("\"code\":-32029").contains("retry after 100 second(s)");
        assertThat(bob.statusCode()).isEqualTo(200);
    }
}
