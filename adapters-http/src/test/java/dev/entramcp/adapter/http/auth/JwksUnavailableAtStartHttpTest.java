package dev.entramcp.adapter.http.auth;

import dev.entramcp.adapter.http.support.JwksServer;
import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static dev.entramcp.adapter.http.support.TestTokens.TENANT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that starts while the JWKS endpoint is down: it starts anyway, answers 503 (not 401: the
 * client's token may be fine) until a background fetch succeeds, then serves normally. It needs
 * its own server: the shared one has its keys.
 */
class JwksUnavailableAtStartHttpTest {

    private static McpTestServer server;

    @BeforeAll
    static void startWithTheJwksDown() throws IOException {
        server = McpTestServer.start(JwksServer.startingDown(TestTokens.publicSet(TENANT_KEY)), Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void givenNoKeyEverLoaded_aValidToken_gets503UntilTheKeysArrive() {
        RawMcp http = server.raw();
        String token = TestTokens.aUserToken(server.authority()).signedWith(TENANT_KEY);

        HttpResponse<String> whileDown = http.withToken("GET", "/mcp/auth-probe", token);
        server.jwks().comeBack();
        HttpResponse<String> afterwards = RawMcp.pollUntil(Duration.ofSeconds(10),
                () -> http.withToken("GET", "/mcp/auth-probe", token), response -> response.statusCode() != 503);

        assertThat(whileDown.statusCode()).isEqualTo(503);
        assertThat(whileDown.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(whileDown.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(RawMcp.json(whileDown)).containsExactly(Map.entry("error", "temporarily_unavailable"),
                Map.entry("error_description", "signing keys are not available yet"));
        assertThat(afterwards.statusCode()).isEqualTo(200);
    }
}
