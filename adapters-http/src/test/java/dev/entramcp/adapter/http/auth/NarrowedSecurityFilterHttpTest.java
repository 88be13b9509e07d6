package dev.entramcp.adapter.http.auth;

import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.TestCallers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fail-closed: with micronaut-security's filter narrowed by configuration so that it no longer
 * covers the MCP endpoints, they still never run without a verified caller: neither a probe
 * endpoint nor the transports' own {@code /mcp}.
 */
class NarrowedSecurityFilterHttpTest {

    private static McpTestServer server;

    @BeforeAll
    static void start() {
        server = McpTestServer.start(Map.of("micronaut.security.filter.pattern", "/somewhere-else/**"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void givenTheSecurityFilterNotCoveringMcp_anMcpEndpoint_isStillRefused() {
        RawMcp http = server.raw();
        String token = server.tokenFor(TestCallers.alice());

        HttpResponse<String> withoutToken = http.request("POST", "/mcp/auth-probe");
        HttpResponse<String> withToken = http.withToken("POST", "/mcp/auth-probe", token);
        HttpResponse<String> initialize = http.post("/mcp", token, RawMcp.INITIALIZE);

        assertThat(withoutToken.statusCode()).isEqualTo(401);
        assertThat(withToken.statusCode()).as("no validator ran, so no caller: refused rather than served").isEqualTo(401);
        assertThat(withToken.body()).doesNotContain("objectId");
        assertThat(initialize.statusCode()).isEqualTo(401);
        assertThat(initialize.headers().firstValue("Mcp-Session-Id")).isEmpty();
        assertThat(RawMcp.json(initialize)).containsEntry("error", "unauthorized");
    }
}
