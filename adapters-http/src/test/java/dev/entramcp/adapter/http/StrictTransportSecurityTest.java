package dev.entramcp.adapter.http;

import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.SharedMcpServer;
import dev.entramcp.adapter.http.support.TestCallers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HSTS over plain HTTP: never on a server that neither terminates TLS nor is told a proxy does
 * (the shared test server), and on every answer, refusals included, when
 * {@code entramcp.http.hsts.enabled} says a proxy in front terminates TLS.
 * {@link StrictTransportSecurityTlsTest} covers a server that terminates TLS itself.
 */
@ExtendWith(SharedMcpServer.class)
class StrictTransportSecurityTest {

    private final McpTestServer shared;

    StrictTransportSecurityTest(McpTestServer shared) {
        this.shared = shared;
    }

    /**
     * One answer of each kind: 401 challenge, 400 token in the URL, 403 hygiene, PRM, an unknown
     * path (401 too: micronaut-security answers an anonymous request for it before routing), an
     * MCP answer.
     */
    static List<HttpResponse<String>> answersOfEveryKind(McpTestServer server) {
        RawMcp raw = server.raw();
        return List.of(
                raw.request("POST", "/mcp"),
                raw.request("GET", "/mcp?access_token=abc"),
                raw.request("POST", "/mcp", "Origin", "https://evil.example"),
                raw.request("GET", "/.well-known/oauth-protected-resource/mcp"),
                raw.request("GET", "/no-such-page"),
                raw.post("/mcp", server.tokenFor(TestCallers.alice()), RawMcp.INITIALIZE));
    }

    @Test
    void givenPlainHttpWithoutTlsInFront_noAnswer_carriesStrictTransportSecurity() {
        List<HttpResponse<String>> answers = answersOfEveryKind(shared);

        assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(401, 400, 403, 200, 401, 200);
        assertThat(answers).allSatisfy(answer ->
                assertThat(answer.headers().firstValue(StrictTransportSecurityFilter.HEADER)).isEmpty());
    }

    @Test
    void givenTlsTerminatedByAProxy_everyAnswer_carriesStrictTransportSecurity() {
        try (McpTestServer behindProxy = McpTestServer.start(Map.of(StrictTransportSecurityFilter.ENABLED_KEY, "true"))) {

            List<HttpResponse<String>> answers = answersOfEveryKind(behindProxy);

            assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(401, 400, 403, 200, 401, 200);
            assertThat(answers).allSatisfy(answer -> assertThat(answer.headers().allValues(StrictTransportSecurityFilter.HEADER))
                    .containsExactly("max-age=31536000; includeSubDomains"));
        }
    }
}
