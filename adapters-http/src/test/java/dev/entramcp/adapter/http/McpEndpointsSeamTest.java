package dev.entramcp.adapter.http;

import dev.entramcp.adapter.http.auth.ProtectedPaths;
import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.SharedMcpServer;
import dev.entramcp.adapter.http.support.TestCallers;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where authentication and the MCP transports meet: which paths both treat as MCP endpoints, in
 * which order their checks run, which host the transports accept, and the two error shapes
 * (see the package documentation of {@code dev.entramcp.adapter.http}).
 */
@ExtendWith(SharedMcpServer.class)
class McpEndpointsSeamTest {

    private static final String TRANSPORT_PACKAGE = "dev.entramcp.adapter.http.transport";

    private final McpTestServer server;
    private final RawMcp http;
    private final String alice;

    McpEndpointsSeamTest(McpTestServer server) {
        this.server = server;
        this.http = server.raw();
        this.alice = server.tokenFor(TestCallers.alice());
    }

    @Test
    void givenEveryRouteTheTransportsDeclare_itsPath_isAnEndpointThatAuthenticationProtects() {
        List<String> transportRoutes = server.bean(Router.class).uriRoutes()
                .filter(route -> route.getTargetMethod().getDeclaringType().getPackageName().equals(TRANSPORT_PACKAGE))
                .map(McpEndpointsSeamTest::path)
                .distinct()
                .toList();

        assertThat(transportRoutes).contains("/mcp", "/sse", "/message");
        assertThat(transportRoutes).allSatisfy(path -> assertThat(ProtectedPaths.isProtected(path)).as(path).isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mcp", "//mcp", "/MCP", "/%6Dcp", "/mcp/", "/sse", "/message"})
    void givenADisallowedOrigin_anySpellingOfAnMcpEndpoint_isRefusedByHygieneEvenWithAValidToken(String path) {
        HttpResponse<String> response = http.post(path, alice, RawMcp.INITIALIZE, "Origin", "https://attacker.example");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(RawMcp.json(response)).containsEntry("jsonrpc", "2.0")
                .containsEntry("error", Map.of("code", -32600, "message", "Forbidden: this Origin is not allowed"));
    }

    @Test
    void givenADisallowedOriginAndABadToken_theRequest_isRefusedByHygieneBeforeTheTokenIsJudged() {
        HttpResponse<String> response = http.post("/mcp", "not.a.jwt", RawMcp.INITIALIZE, "Origin", "https://attacker.example");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void givenTheHostOfThePublicBaseUrl_aRequest_passesTheRebindingCheckWithoutBeingListed() throws IOException {
        String publicHost = rawInitialize("mcp.example.test");
        String lookalike = rawInitialize("mcp.example.test.attacker.example");

        assertThat(publicHost).startsWith("HTTP/1.1 200");
        assertThat(lookalike).startsWith("HTTP/1.1 403").contains("Forbidden: this Host is not allowed");
    }

    @Test
    void givenRefusalsOfBothLayers_theirBodies_followTheDocumentedShapes() {
        HttpResponse<String> noToken = http.post("/mcp", null, RawMcp.INITIALIZE);
        HttpResponse<String> tokenInUrl = http.post("/mcp?access_token=" + alice, alice, RawMcp.INITIALIZE);
        HttpResponse<String> malformed = http.post("/mcp", alice, "{\"jsonrpc\":");
        HttpResponse<String> noSession = http.post("/mcp", alice, RawMcp.LIST_TOOLS);

        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(RawMcp.json(noToken)).containsOnlyKeys("error", "error_description");
        assertThat(tokenInUrl.statusCode()).isEqualTo(400);
        assertThat(RawMcp.json(tokenInUrl)).containsOnlyKeys("error", "error_description").containsEntry("error", "invalid_request");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(RawMcp.json(malformed)).containsOnlyKeys("jsonrpc", "error");
        assertThat(noSession.statusCode()).isEqualTo(400);
        assertThat(RawMcp.json(noSession)).containsOnlyKeys("jsonrpc", "error");
    }

    private static String path(UriRouteInfo<?, ?> route) {
        String template = route.getUriMatchTemplate().toPathString();
        int variables = template.indexOf('{');
        return variables < 0 ? template : template.substring(0, variables);
    }

    /** An initialize sent over a bare socket, so that the {@code Host} header is exactly {@code host:port}. */
    private String rawInitialize(String host) throws IOException {
        String request = "POST /mcp HTTP/1.1\r\nHost: " + host + ":" + server.port()
                + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                + "Authorization: Bearer " + alice + "\r\nContent-Length: " + RawMcp.INITIALIZE.length()
                + "\r\nConnection: close\r\n\r\n" + RawMcp.INITIALIZE;
        try (Socket socket = new Socket("localhost", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
