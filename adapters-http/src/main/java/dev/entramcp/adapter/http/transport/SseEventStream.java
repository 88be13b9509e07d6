package dev.entramcp.adapter.http.transport;

import io.micronaut.http.sse.Event;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A long-lived server-to-client SSE stream: the {@code GET /mcp} listening stream of a session,
 * or the {@code GET /sse} stream of a legacy session. The SDK writes JSON-RPC messages into it;
 * Micronaut writes its {@link #events(Duration)} to the response.
 *
 * <p>Two pitfalls of Micronaut Netty are handled here: nothing (not even the status line) is
 * sent before the first event, so the stream opens with an SSE comment; and the stream ends by
 * itself after {@code lifetime} (the caller's token expiry, see {@link StreamDeadline}), or
 * when the client goes away, and then tells its owner through {@link #onClose(Runnable)}.
 *
 * <p>Events carry no {@code id}: the SDK 2.1.0 cannot replay missed events
 * ({@code Last-Event-ID}), so offering resumption would be a lie.
 */
final class SseEventStream implements McpStreamableServerTransport {

    private final JsonRpcCodec codec;
    private final Sinks.Many<Event<String>> sink = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<Runnable> onClose = new AtomicReference<>(() -> {
    });

    SseEventStream(JsonRpcCodec codec) {
        this.codec = Objects.requireNonNull(codec, "'codec' must not be null");
    }

    /** What to do once the stream has ended, whoever ended it. */
    void onClose(Runnable action) {
        onClose.set(Objects.requireNonNull(action, "'action' must not be null"));
    }

    /** The events to write to the response: an opening comment, then every message, for at most {@code lifetime}. */
    Flux<Event<String>> events(Duration lifetime) {
        return sink.asFlux()
                .startWith(Event.of("").comment("stream open"))
                .takeUntilOther(Mono.delay(lifetime))
                .doFinally(signal -> close());
    }

    /** Sends a named event with raw data, such as the legacy transport's {@code endpoint} event. */
    void sendRaw(String name, String data) {
        emit(Event.of(data).name(name));
    }

    boolean isOpen() {
        return !closed.get();
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return Mono.defer(() -> {
            if (closed.get()) {
                return Mono.error(new IllegalStateException("The stream is closed"));
            }
            emit(Event.of(codec.write(message)).name("message"));
            return Mono.empty();
        });
    }

    private synchronized void emit(Event<String> event) {
        if (!closed.get()) {
            sink.tryEmitNext(event);
        }
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
    public void close() {
        if (closed.compareAndSet(false, true)) {
            synchronized (this) {
                sink.tryEmitComplete();
            }
            onClose.get().run();
        }
    }
}
