package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.SharedMcpServer;
import dev.entramcp.adapter.http.support.TestCallers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact answers of the stateful {@code /mcp} and the legacy {@code /sse} + {@code /message}
 * endpoints (status, the headers a client acts on, body), one request per check they make, and
 * which check wins when two would refuse. The controllers share their checks; these answers are
 * what must not move when that sharing changes.
 */
@ExtendWith(SharedMcpServer.class)
class TransportAnswersTest {

    private static final Pattern ENDPOINT = Pattern.compile("data: (/message\\?sessionId=[0-9a-f-]+)");
    private static final String UNKNOWN_SESSION = "00000000-0000-0000-0000-000000000000";

    private final RawMcp mcp;
    private final String alice;

    TransportAnswersTest(McpTestServer server) {
        this.mcp = server.raw();
        this.alice = server.tokenFor(TestCallers.alice());
    }

    /** What a client sees of an answer, but the correlation id's value (random): only whether there is one. */
    static String answer(HttpResponse<?> response) {
        return response.statusCode()
                + " " + response.headers().firstValue("Content-Type").orElse("-")
                + (response.headers().firstValue("X-Correlation-Id").isPresent() ? " correlated" : "")
                + response.headers().firstValue("Allow").map(allow -> " Allow=" + allow).orElse("")
                + response.headers().firstValue("Mcp-Session-Id").map(id -> " session").orElse("")
                + (response.body() instanceof String body ? " " + body : "");
    }

    /** A JSON-RPC error answer without an id, as the transports write it. */
    static String rpcError(int status, int code, String message) {
        return status + " application/json {\"jsonrpc\":\"2.0\",\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\"}}";
    }

    @Test
    void givenEachRefusedPost_mcp_answersWithItsExactJsonRpcError() {
        String session = mcp.initialize(alice);

        assertThat(answer(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "Content-Type", "text/plain", "Accept", "application/json")))
                .isEqualTo(rpcError(415, -32600, "Unsupported Media Type: Content-Type must be application/json"));
        assertThat(answer(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "Accept", "application/json")))
                .isEqualTo(rpcError(406, -32600, "Not Acceptable: the Accept header must list application/json and text/event-stream"));
        assertThat(answer(mcp.post("/mcp", alice, "{")))
                .isEqualTo(rpcError(400, -32700, "Parse error: the request body is not valid JSON"));
        assertThat(answer(mcp.post("/mcp", alice, "[]", "MCP-Protocol-Version", "1999-01-01")))
                .isEqualTo(rpcError(400, -32600, "Invalid Request: JSON-RPC batches are not supported by MCP since 2025-06-18"));
        assertThat(answer(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "MCP-Protocol-Version", "1999-01-01")))
                .isEqualTo(rpcError(400, -32600, "Bad Request: unsupported MCP-Protocol-Version 1999-01-01; "
                        + "supported: 2025-03-26, 2025-06-18, 2025-11-25"));
        assertThat(answer(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS)))
                .isEqualTo(rpcError(400, -32600, "Bad Request: the Mcp-Session-Id header is required after initialize"));
        assertThat(answer(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "Mcp-Session-Id", UNKNOWN_SESSION)))
                .isEqualTo(rpcError(404, -32600, "Not Found: no such session; send initialize to start a new one"));
        assertThat(answer(mcp.post("/mcp", alice, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}")))
                .isEqualTo("400 application/json correlated "
                        + "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,\"message\":\"Invalid params: initialize needs params\"}}");
        assertThat(answer(mcp.post("/mcp", alice, RawMcp.LIST_TOOLS, "Mcp-Session-Id", session)))
                .startsWith("200 application/json correlated {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[");
    }

    @Test
    void givenAcceptedPosts_mcp_answers202WithoutBodyOrCorrelationAndInitializeIgnoresTheVersionHeader() {
        String session = mcp.initialize(alice);

        HttpResponse<String> notification = mcp.post("/mcp", alice, RawMcp.INITIALIZED, "Mcp-Session-Id", session);
        HttpResponse<String> response = mcp.post("/mcp", alice, "{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"result\":{}}",
                "Mcp-Session-Id", session);
        HttpResponse<String> initialize = mcp.post("/mcp", alice, RawMcp.INITIALIZE, "MCP-Protocol-Version", "1999-01-01");

        assertThat(answer(notification)).isEqualTo("202 - ");
        assertThat(answer(response)).isEqualTo("202 - ");
        assertThat(answer(initialize)).startsWith("200 application/json correlated session {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{");
    }

    @Test
    void givenEachRefusedGetOrDelete_mcp_answersWithItsExactJsonRpcError() {
        String session = mcp.initialize(alice);

        assertThat(answer(mcp.get("/mcp", alice, "Accept", "application/json", "Mcp-Session-Id", session)))
                .isEqualTo(rpcError(406, -32600, "Not Acceptable: the Accept header must list text/event-stream"));
        assertThat(answer(mcp.get("/mcp", alice, "Accept", "text/event-stream", "MCP-Protocol-Version", "1999-01-01")))
                .isEqualTo(rpcError(400, -32600, "Bad Request: unsupported MCP-Protocol-Version 1999-01-01; "
                        + "supported: 2025-03-26, 2025-06-18, 2025-11-25"));
        assertThat(answer(mcp.get("/mcp", alice, "Accept", "text/event-stream")))
                .isEqualTo(rpcError(400, -32600, "Bad Request: the Mcp-Session-Id header is required"));
        assertThat(answer(mcp.get("/mcp", alice, "Accept", "text/event-stream", "Mcp-Session-Id", UNKNOWN_SESSION)))
                .isEqualTo(rpcError(404, -32600, "Not Found: no such session; send initialize to start a new one"));
        assertThat(answer(mcp.delete("/mcp", alice, "MCP-Protocol-Version", "1999-01-01")))
                .isEqualTo(rpcError(400, -32600, "Bad Request: unsupported MCP-Protocol-Version 1999-01-01; "
                        + "supported: 2025-03-26, 2025-06-18, 2025-11-25"));
        assertThat(answer(mcp.delete("/mcp", alice)))
                .isEqualTo(rpcError(400, -32600, "Bad Request: the Mcp-Session-Id header is required"));
        assertThat(answer(mcp.delete("/mcp", alice, "Mcp-Session-Id", UNKNOWN_SESSION)))
                .isEqualTo(rpcError(404, -32600, "Not Found: no such session; send initialize to start a new one"));
        assertThat(answer(mcp.delete("/mcp", alice, "Mcp-Session-Id", session))).isEqualTo("204 - ");
    }

    @Test
    void givenASession_getMcp_opensACorrelatedUnbufferedEventStream() {
        String session = mcp.initialize(alice);

        HttpResponse<InputStream> stream = mcp.openStream("/mcp", alice, "Mcp-Session-Id", session);

        try (RawMcp.SseLines lines = new RawMcp.SseLines(stream.body())) {
            assertThat(answer(stream)).isEqualTo("200 text/event-stream correlated");
            assertThat(stream.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(stream.headers().firstValue("X-Accel-Buffering")).hasValue("no");
            assertThat(lines.until("stream open", Duration.ofSeconds(20))).containsExactly(": stream open");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void givenEachRefusedLegacyRequest_sseAndMessage_answerWithTheirExactJsonRpcErrors() {
        assertThat(answer(mcp.get("/sse", alice, "Accept", "application/json")))
                .isEqualTo(rpcError(406, -32600, "Not Acceptable: the Accept header must list text/event-stream"));
        assertThat(answer(mcp.post("/message", alice, "{", "Content-Type", "text/plain")))
                .isEqualTo(rpcError(415, -32600, "Unsupported Media Type: Content-Type must be application/json"));
        assertThat(answer(mcp.post("/message", alice, "{")))
                .isEqualTo(rpcError(400, -32600, "Bad Request: the sessionId query parameter is required"));
        assertThat(answer(mcp.post("/message?sessionId=" + UNKNOWN_SESSION, alice, "{")))
                .isEqualTo(rpcError(404, -32600, "Not Found: no such session; open a new one with GET /sse"));
    }

    @Test
    void givenALegacySession_sseAndMessage_answerWithTheStreamAndCorrelated202() {
        HttpResponse<InputStream> stream = mcp.openStream("/sse", alice);

        try (RawMcp.SseLines lines = new RawMcp.SseLines(stream.body())) {
            List<String> opening = lines.until("sessionId=", Duration.ofSeconds(20));
            Matcher endpoint = ENDPOINT.matcher(String.join("\n", opening));
            assertThat(endpoint.find()).as("endpoint event in %s", opening).isTrue();

            assertThat(answer(stream)).isEqualTo("200 text/event-stream correlated");
            assertThat(stream.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(opening).startsWith(": stream open");
            assertThat(answer(mcp.post(endpoint.group(1), alice, "{")))
                    .isEqualTo(rpcError(400, -32700, "Parse error: the request body is not valid JSON"));
            assertThat(answer(mcp.post(endpoint.group(1), alice, RawMcp.INITIALIZE))).isEqualTo("202 - correlated ");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
