package dev.entramcp.adapter.http.transport;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.sse.Event;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.Objects;

/**
 * The answer to one POSTed JSON-RPC request, which picks its own media type: if the first thing
 * the server sends is the response to that request, the client gets plain
 * {@code application/json}; if the server first has something else to say (a progress or
 * logging notification), the answer becomes an SSE stream that carries those messages and ends
 * with the response. This is the spec's "JSON, or an SSE stream when the server has something
 * to send before the response".
 *
 * <p>The request's processing is not tied to the HTTP response: if the client disconnects, the
 * tool still runs to completion (the MCP spec says a disconnection is not a cancellation, and
 * interrupting a half-done side effect is worse than finishing it); only the writes stop.
 */
final class PostResponseTransport implements McpStreamableServerTransport {

    private final JsonRpcCodec codec;
    private final Object requestId;
    private final Sinks.One<MutableHttpResponse<?>> answer = Sinks.one();
    private Sinks.Many<Event<String>> events;
    private boolean decided;
    private boolean closed;

    PostResponseTransport(JsonRpcCodec codec, Object requestId) {
        this.codec = Objects.requireNonNull(codec, "'codec' must not be null");
        this.requestId = Objects.requireNonNull(requestId, "'requestId' must not be null");
    }

    /** The HTTP answer, known as soon as the first message is sent. */
    Mono<MutableHttpResponse<?>> answer() {
        return answer.asMono();
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return Mono.fromRunnable(() -> send(message));
    }

    private synchronized void send(McpSchema.JSONRPCMessage message) {
        if (closed) {
            return;
        }
        String json = codec.write(message);
        if (!decided) {
            decided = true;
            if (message instanceof McpSchema.JSONRPCResponse response && requestId.equals(response.id())) {
                closed = true;
                answer.tryEmitValue(HttpResponse.ok(json).contentType(MediaType.APPLICATION_JSON_TYPE));
                return;
            }
            events = Sinks.many().unicast().onBackpressureBuffer();
            answer.tryEmitValue(McpHttpResponses.eventStream(events.asFlux()
                    .startWith(Event.of("").comment("response stream"))
                    .doOnCancel(this::close)));
        }
        events.tryEmitNext(Event.of(json).name("message"));
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return codec.mcpJsonMapper().convertValue(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!decided) {
            decided = true;
            answer.tryEmitValue(McpHttpResponses.jsonRpcError(500, codec.error(requestId, JsonRpcCodec.INTERNAL_ERROR,
                    "Internal error: the request ended without a response", null)));
        } else if (events != null) {
            events.tryEmitComplete();
        }
    }
}
