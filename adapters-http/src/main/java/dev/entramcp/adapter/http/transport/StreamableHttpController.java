package dev.entramcp.adapter.http.transport;

import dev.entramcp.domain.model.CallerIdentity;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.Optional;

/**
 * Streamable HTTP at {@code /mcp}, stateful (MCP 2025-11-25 "Streamable HTTP" transport):
 * <ul>
 *   <li>{@code POST} carries one JSON-RPC message. {@code initialize} starts a session bound to
 *       the caller's principal and answers with its {@code Mcp-Session-Id}; any other request
 *       answers with JSON, or with an SSE stream when the server sends notifications first;
 *       notifications and responses get 202.</li>
 *   <li>{@code GET} opens the session's listening stream for server-to-client messages.</li>
 *   <li>{@code DELETE} ends the session.</li>
 * </ul>
 * A session id presented by another principal is answered exactly like an unknown one (404).
 * The caller is attached to the request by the authentication filter; without it the answer is
 * 401. Origin, Host and body size were checked by {@link RequestHygieneFilter} already.
 */
@Secured(SecurityRule.IS_AUTHENTICATED)
@Controller("/mcp")
@Requires(property = "entramcp.mcp.mode", notEquals = "stateless")
public final class StreamableHttpController {

    private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpController.class);

    private final StreamableHttpSessions sessions;
    private final RequestGate gate;
    private final ToolCallGuard guard;
    private final JsonRpcCodec codec;
    private final McpTransportSettings settings;
    private final Clock clock = Clock.systemUTC();

    public StreamableHttpController(StreamableHttpSessions sessions, RequestGate gate, ToolCallGuard guard,
                                    JsonRpcCodec codec, McpTransportSettings settings) {
        this.sessions = sessions;
        this.gate = gate;
        this.guard = guard;
        this.codec = codec;
        this.settings = settings;
    }

    @Post(consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    public Mono<MutableHttpResponse<?>> post(HttpRequest<?> request, @Nullable @Body String body) {
        if (sessions.isClosing()) {
            return Mono.just(gate.shuttingDown());
        }
        RequestGate.MessageAdmission admission = gate.admitMessage(request, body, sessions.protocolVersions());
        if (admission instanceof RequestGate.Refused refused) {
            return Mono.just(refused.response());
        }
        RequestGate.AdmittedMessage posted = (RequestGate.AdmittedMessage) admission;
        McpSchema.JSONRPCMessage message = posted.message();
        if (message instanceof McpSchema.JSONRPCRequest rpc && McpSchema.METHOD_INITIALIZE.equals(rpc.method())) {
            return initialize(rpc, posted.caller())
                    .map(response -> McpHttpResponses.withCorrelation(response, posted.correlationId()));
        }
        String sessionId = request.getHeaders().get(McpHttpResponses.MCP_SESSION_ID);
        if (sessionId == null || sessionId.isBlank()) {
            return Mono.just(McpHttpResponses.jsonRpcError(400, codec.error(JsonRpcCodec.INVALID_REQUEST,
                    "Bad Request: the Mcp-Session-Id header is required after initialize")));
        }
        Optional<StreamableHttpSessions.BoundSession> bound = sessions.find(sessionId, posted.caller().principal());
        if (bound.isEmpty()) {
            return Mono.just(sessionNotFound());
        }
        McpStreamableServerSession session = bound.get().session();
        McpTransportContext context = CallerContext.of(posted.caller(), posted.correlationId());
        if (message instanceof McpSchema.JSONRPCNotification notification) {
            return McpHttpResponses.acceptedOnceHandled(session.accept(notification), notification, context);
        }
        if (message instanceof McpSchema.JSONRPCResponse response) {
            return session.accept(response)
                    .onErrorResume(error -> {
                        LOG.debug("Discarded a response to an unknown request: {}", error.getMessage());
                        return Mono.empty();
                    })
                    .then(Mono.fromSupplier(McpHttpResponses::accepted));
        }
        McpSchema.JSONRPCRequest rpc = (McpSchema.JSONRPCRequest) message;
        Optional<ToolCallGuard.Refusal> toolRefusal = guard.check(rpc, posted.caller(), posted.correlationId());
        if (toolRefusal.isPresent()) {
            return Mono.just(McpHttpResponses.withCorrelation(guard.toHttpResponse(toolRefusal.get()),
                    posted.correlationId()));
        }
        PostResponseTransport transport = new PostResponseTransport(codec, rpc.id());
        session.responseStream(transport).handle(rpc)
                .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
                .subscribe(done -> {
                }, error -> {
                    LOG.error("Request {} failed (correlation id {})", rpc.method(), posted.correlationId(), error);
                    transport.close();
                });
        return transport.answer().map(response -> McpHttpResponses.withCorrelation(response, posted.correlationId()));
    }

    @Get(produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
    public MutableHttpResponse<?> listen(HttpRequest<?> request) {
        if (sessions.isClosing()) {
            return gate.shuttingDown();
        }
        RequestGate.Admission admission = gate.admit(request);
        if (admission instanceof RequestGate.Refused refused) {
            return refused.response();
        }
        RequestGate.Admitted admitted = (RequestGate.Admitted) admission;
        Optional<MutableHttpResponse<?>> refusal = gate.requireAccept(request, MediaType.TEXT_EVENT_STREAM)
                .or(() -> gate.requireProtocolVersion(request, sessions.protocolVersions()));
        if (refusal.isPresent()) {
            return refusal.get();
        }
        String sessionId = request.getHeaders().get(McpHttpResponses.MCP_SESSION_ID);
        if (sessionId == null || sessionId.isBlank()) {
            return McpHttpResponses.jsonRpcError(400, codec.error(JsonRpcCodec.INVALID_REQUEST,
                    "Bad Request: the Mcp-Session-Id header is required"));
        }
        Optional<StreamableHttpSessions.BoundSession> bound = sessions.find(sessionId, admitted.caller().principal());
        if (bound.isEmpty()) {
            return sessionNotFound();
        }
        if (request.getHeaders().contains("Last-Event-ID")) {
            LOG.debug("Last-Event-ID ignored: the MCP SDK 2.1.0 cannot replay events; a new stream is opened");
        }
        SseEventStream stream = new SseEventStream(codec);
        sessions.openListeningStream(bound.get(), stream);
        return McpHttpResponses.withCorrelation(McpHttpResponses.eventStream(
                stream.events(StreamDeadline.lifetime(request, settings.maxStreamLifetime(), clock))),
                admitted.correlationId());
    }

    @Delete(produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    public Mono<MutableHttpResponse<?>> delete(HttpRequest<?> request) {
        RequestGate.Admission admission = gate.admit(request);
        if (admission instanceof RequestGate.Refused refused) {
            return Mono.just(refused.response());
        }
        RequestGate.Admitted admitted = (RequestGate.Admitted) admission;
        Optional<MutableHttpResponse<?>> refusal = gate.requireProtocolVersion(request, sessions.protocolVersions());
        if (refusal.isPresent()) {
            return Mono.just(refusal.get());
        }
        String sessionId = request.getHeaders().get(McpHttpResponses.MCP_SESSION_ID);
        if (sessionId == null || sessionId.isBlank()) {
            return Mono.just(McpHttpResponses.jsonRpcError(400, codec.error(JsonRpcCodec.INVALID_REQUEST,
                    "Bad Request: the Mcp-Session-Id header is required")));
        }
        return sessions.delete(sessionId, admitted.caller().principal())
                .map(deleted -> deleted ? HttpResponse.noContent() : sessionNotFound());
    }

    /** A body larger than {@code micronaut.server.max-request-size} (sent without a Content-Length). */
    @Error(exception = ContentLengthExceededException.class)
    public MutableHttpResponse<?> tooLarge() {
        return gate.tooLarge();
    }


    private Mono<MutableHttpResponse<?>> initialize(McpSchema.JSONRPCRequest rpc, CallerIdentity caller) {
        McpSchema.InitializeRequest initializeRequest;
        try {
            initializeRequest = codec.mcpJsonMapper().convertValue(rpc.params(), new TypeRef<>() {
            });
        } catch (RuntimeException badParams) {
            return Mono.just(McpHttpResponses.jsonRpcError(400, codec.error(rpc.id(), JsonRpcCodec.INVALID_PARAMS,
                    "Invalid params: not an initialize request", null)));
        }
        if (initializeRequest == null) {
            return Mono.just(McpHttpResponses.jsonRpcError(400, codec.error(rpc.id(), JsonRpcCodec.INVALID_PARAMS,
                    "Invalid params: initialize needs params", null)));
        }
        McpStreamableServerSession.McpStreamableServerSessionInit init = sessions.start(initializeRequest, caller.principal());
        return init.initResult()
                .<MutableHttpResponse<?>>map(result -> McpHttpResponses
                        .json(codec.write(McpSchema.JSONRPCResponse.result(rpc.id(), result)))
                        .header(McpHttpResponses.MCP_SESSION_ID, init.session().getId()));
    }

    private MutableHttpResponse<?> sessionNotFound() {
        return McpHttpResponses.jsonRpcError(404, codec.error(JsonRpcCodec.INVALID_REQUEST,
                "Not Found: no such session; send initialize to start a new one"));
    }
}
