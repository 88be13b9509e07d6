package dev.entramcp.adapter.http.transport;

import dev.entramcp.domain.model.CorrelationId;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.sse.Event;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/** The HTTP shapes the MCP transports answer with. */
final class McpHttpResponses {

    static final String MCP_SESSION_ID = "Mcp-Session-Id";
    static final String MCP_PROTOCOL_VERSION = "MCP-Protocol-Version";
    static final String CORRELATION_ID = "X-Correlation-Id";

    private static final Logger LOG = LoggerFactory.getLogger(McpHttpResponses.class);

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

    /**
     * 202 once {@code handling} of a POSTed notification is done, run with the caller's
     * {@code context}. A notification has no answer, so its failure is logged, not sent.
     */
    static Mono<MutableHttpResponse<?>> acceptedOnceHandled(Mono<Void> handling, McpSchema.JSONRPCNotification notification,
                                                            McpTransportContext context) {
        return handling
                .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
                .onErrorResume(error -> {
                    LOG.warn("Notification {} failed (correlation id {})", notification.method(),
                            CallerContext.correlationId(context), error);
                    return Mono.empty();
                })
                .then(Mono.fromSupplier(McpHttpResponses::accepted));
    }

    /** Tags {@code response} with the id that ties the request's log and audit lines together. */
    static MutableHttpResponse<?> withCorrelation(MutableHttpResponse<?> response, CorrelationId correlationId) {
        return response.header(CORRELATION_ID, correlationId.value());
    }
}
