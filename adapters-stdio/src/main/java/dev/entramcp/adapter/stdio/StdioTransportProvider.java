package dev.entramcp.adapter.stdio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * MCP over stdio: one JSON-RPC message per line on stdin, one per line on stdout, and nothing
 * else on stdout, ever.
 *
 * <p>Why not the SDK's {@code StdioServerTransportProvider}? In SDK 2.1.0 one malformed line ends
 * its read loop, and with it the server. Here a line that is not JSON is answered with a JSON-RPC
 * {@code -32700 Parse error}, a line that is JSON but not a JSON-RPC message with
 * {@code -32600 Invalid Request}, an oversized line with {@code -32600} too, and the server keeps
 * serving. Each inbound message also gets its own {@link McpTransportContext}, so per-request
 * state (such as one policy evaluation per {@code tools/list}) has somewhere to live.
 *
 * <p>Shutdown: end of stdin closes the session gracefully; {@link #closeGracefully()} does the same
 * from a shutdown hook. Writes are whole lines under a lock, flushed one by one, so a message is
 * never left half-written.
 */
public final class StdioTransportProvider implements McpServerTransportProvider {

    /** The per-message context key under which {@link RequestScope} lives. */
    static final String REQUEST_SCOPE = "dev.entramcp.stdio.request-scope";

    private static final Logger LOG = LoggerFactory.getLogger(StdioTransportProvider.class);

    private final InputStream in;
    private final OutputStream out;
    private final int maxLineBytes;
    private final ObjectMapper objectMapper = new ObjectMapper();
    private final McpJsonMapper jsonMapper = new JacksonMcpJsonMapper(objectMapper);
    private final AtomicReference<McpServerSession> session = new AtomicReference<>();
    private final AtomicReference<JsonNode> clientCapabilities = new AtomicReference<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Object writeLock = new Object();

    public StdioTransportProvider(InputStream in, OutputStream out, int maxLineBytes) {
        this.in = Objects.requireNonNull(in, "'in' must not be null");
        this.out = Objects.requireNonNull(out, "'out' must not be null");
        if (maxLineBytes < 1024) {
            throw new IllegalArgumentException("'maxLineBytes' must be at least 1024");
        }
        this.maxLineBytes = maxLineBytes;
    }

    McpJsonMapper jsonMapper() {
        return jsonMapper;
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory sessionFactory) {
        McpServerSession created = sessionFactory.create(new LineTransport());
        if (!session.compareAndSet(null, created)) {
            throw new IllegalStateException("a stdio transport serves exactly one session");
        }
        Thread reader = new Thread(this::readLoop, "mcp-stdio-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Mono.defer(() -> {
            McpServerSession current = session.get();
            return current == null ? Mono.empty() : current.sendNotification(method, params);
        });
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.defer(() -> {
            closing.set(true);
            McpServerSession current = session.get();
            return current == null ? Mono.empty() : current.closeGracefully();
        }).doFinally(signal -> terminated.countDown());
    }

    /** Blocks until stdin ends or the transport is closed. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /** The session, once the server has created it. */
    Optional<McpServerSession> session() {
        return Optional.ofNullable(session.get());
    }

    /** Whether the client declared that it accepts URL-mode elicitation requests. */
    boolean clientSupportsUrlElicitation() {
        JsonNode capabilities = clientCapabilities.get();
        return capabilities != null && capabilities.path("elicitation").has("url");
    }

    private void readLoop() {
        try {
            LineReader lines = new LineReader(in, maxLineBytes);
            LineReader.Line line;
            while (!closing.get() && (line = lines.next()) != null) {
                if (line.oversized()) {
                    writeError(null, McpSchema.ErrorCodes.INVALID_REQUEST,
                            "Request too large: a message may be at most " + maxLineBytes + " bytes");
                } else if (!line.text().isBlank()) {
                    dispatch(line.text());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            if (!closing.get()) {
                LOG.warn("Reading stdin failed; closing the session: {}", e.getMessage());
            }
        } finally {
            closeGracefully().onErrorResume(e -> Mono.empty()).block();
        }
    }

    private void dispatch(String text) {
        JsonNode node;
        try {
            node = objectMapper.readTree(text);
        } catch (JsonProcessingException notJson) {
            writeError(null, McpSchema.ErrorCodes.PARSE_ERROR, "Parse error: the line is not valid JSON");
            return;
        }
        Optional<String> problem = JsonRpcShape.problem(node);
        if (problem.isPresent()) {
            writeError(JsonRpcShape.usableId(node), McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: " + problem.get());
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(jsonMapper, text);
        } catch (IOException | IllegalArgumentException invalid) {
            writeError(JsonRpcShape.usableId(node), McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: not a JSON-RPC message");
            return;
        }
        if (message instanceof McpSchema.JSONRPCRequest request && McpSchema.METHOD_INITIALIZE.equals(request.method())) {
            clientCapabilities.set(node.path("params").path("capabilities"));
        }
        McpServerSession current = session.get();
        Map<String, Object> scope = new HashMap<>();
        scope.put(REQUEST_SCOPE, new RequestScope());
        current.handle(message)
                .contextWrite(context -> context.put(McpTransportContext.KEY, McpTransportContext.create(scope)))
                .subscribe(done -> { }, error -> LOG.warn("Handling a message failed: {}", error.getClass().getName()));
    }

    private void writeError(Object id, int code, String message) {
        ObjectNode error = objectMapper.createObjectNode();
        error.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        error.set("id", objectMapper.valueToTree(id));
        error.putObject("error").put("code", code).put("message", message);
        writeLine(error.toString());
    }

    private void writeLine(String json) {
        byte[] bytes = (json + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (writeLock) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                if (!closing.get()) {
                    LOG.warn("Writing to stdout failed: {}", e.getMessage());
                }
            }
        }
    }

    /** The transport of the one session: serialises each outbound message to a single line. */
    private final class LineTransport implements McpServerTransport {

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.fromRunnable(() -> {
                try {
                    // Jackson escapes control characters inside strings, so the JSON is one line.
                    writeLine(jsonMapper.writeValueAsString(message));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return jsonMapper.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(() -> closing.set(true));
        }

        @Override
        public void close() {
            closing.set(true);
        }
    }
}
