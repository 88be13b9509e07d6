package dev.entramcp.adapter.http.transport;

import dev.entramcp.domain.model.CorrelationId;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.sse.Event;
import org.reactivestreams.Publisher;

/** The HTTP shapes the MCP transports answer with. */
final class McpHttpResponses {

    static final String MCP_SESSION_ID = "Mcp-Session-Id";
    static final String MCP_PROTOCOL_VERSION = "MCP-Protocol-Version";
    static final String CORRELATION_ID = "X-Correlation-Id";

    private McpHttpResponses() {
    }

    /** A JSON-RPC error body (already serialised) with the given HTTP status. */
    static MutableHttpResponse<String> jsonRpcError(int status, String body) {
        return HttpResponse.<String>status(HttpStatus.valueOf(status))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(body);
    }

    /** A JSON body with 200. */
    static MutableHttpResponse<String> json(String body) {
        return HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** An SSE stream; proxies are asked not to buffer it. */
    static MutableHttpResponse<Publisher<Event<String>>> eventStream(Publisher<Event<String>> events) {
        return HttpResponse.ok(events)
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no");
    }

    /** 202 Accepted without a body: the answer to a notification or a response. */
    static MutableHttpResponse<?> accepted() {
        return HttpResponse.accepted();
    }

    /** Tags {@code response} with the id that ties the request's log and audit lines together. */
    static MutableHttpResponse<?> withCorrelation(MutableHttpResponse<?> response, CorrelationId correlationId) {
        return response.header(CORRELATION_ID, correlationId.value());
    }
}
