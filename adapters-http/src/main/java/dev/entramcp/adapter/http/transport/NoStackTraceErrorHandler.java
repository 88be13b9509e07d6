package dev.entramcp.adapter.http.transport;

import dev.entramcp.domain.model.CorrelationId;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last resort for an exception that no more specific handler claims, anywhere on the server:
 * it is logged with a correlation id, and the client gets a 500 that says nothing but that id.
 * No stack trace and no exception message ever reaches a client (an exception message can hold
 * internal names, URLs or data). Micronaut's own handlers for its well-known exceptions (bad
 * JSON, 404, 405, oversized bodies...) are more specific and still apply.
 */
@Singleton
@SuppressWarnings("rawtypes")
public final class NoStackTraceErrorHandler implements ExceptionHandler<Throwable, HttpResponse<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(NoStackTraceErrorHandler.class);

    private final JsonRpcCodec codec;

    public NoStackTraceErrorHandler(JsonRpcCodec codec) {
        this.codec = codec;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, Throwable exception) {
        CorrelationId correlationId = CorrelationId.random();
        LOG.error("Unhandled error on {} {} (correlation id {})", request.getMethodName(), request.getPath(),
                correlationId, exception);
        return McpHttpResponses.jsonRpcError(500, codec.error(JsonRpcCodec.INTERNAL_ERROR,
                "Internal error (correlation id " + correlationId + ")"));
    }
}
