package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.TestCallers;
import dev.entramcp.adapter.http.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-principal token bucket at the wire: 429 with {@code Retry-After}, one principal at a
 * time. The principal is the one the bearer token names: a fresh token of the same user draws
 * from the same bucket.
 */
class RateLimitTest {

    private static McpTestServer server;

    @BeforeAll
    static void start() {
        server = McpTestServer.start(Map.of("entramcp.mcp.rate-limit.requests-per-second", "0.01",
                "entramcp.mcp.rate-limit.burst", "3"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void givenAPrincipalOverItsBurst_nextRequest_is429WithRetryAfterAndOthersAreUnaffected() {
        RawMcp mcp = server.raw();
        String alice = server.tokenFor(TestCallers.alice());
        for (int i = 0; i < 3; i++) {
            assertThat(mcp.post("/mcp", alice, RawMcp.INITIALIZE).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> limited = mcp.post("/mcp", server.token(TestCallers.alice()).with("uti", "another-token-of-alice")
                .signedWith(TestTokens.TENANT_KEY), RawMcp.INITIALIZE);
        HttpResponse<String> bob = mcp.post("/mcp", server.tokenFor(TestCallers.bob()), RawMcp.INITIALIZE);

        assertThat(limited.statusCode()).isEqualTo(429);
        // At 0.01 tokens/s the next token is 100 s away, less the time the first requests took
        // (a busy machine can take over a second for them): the bucket's own arithmetic, not a timer.
        int retryAfter = Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(90, 100);
        assertThat(limited.body()).contains("\"code\":-32029").contains("retry after " + retryAfter + " second(s)");
        assertThat(bob.statusCode()).isEqualTo(200);
    }
}
