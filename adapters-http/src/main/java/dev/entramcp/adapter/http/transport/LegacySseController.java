package dev.entramcp.adapter.http.transport;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * The legacy HTTP+SSE endpoints (MCP 2024-11-05), for older clients: {@code GET /sse} opens a
 * session and its stream, whose first event names the message endpoint;
 * {@code POST /message?sessionId=...} takes one JSON-RPC message and answers 202, the JSON-RPC
 * answer following on the stream. On by default; {@code entramcp.mcp.legacy-sse.enabled: false}
 * removes both endpoints.
 *
 * <p>A {@code tools/call} refused for lack of scopes is answered on the POST itself with 403 and
 * the step-up challenge (and the JSON-RPC error also goes on the stream, so that the client's
 * pending request completes).
 */
@Secured(SecurityRule.IS_AUTHENTICATED)
@Controller
@Requires(property = "entramcp.mcp.legacy-sse.enabled", notEquals = "false")
public final class LegacySseController {

    private static final Logger LOG = LoggerFactory.getLogger(LegacySseController.class);

    private final LegacySseSessions sessions;
    private final RequestGate gate;
    private final ToolCallGuard guard;
    private final JsonRpcCodec codec;
    private final McpTransportSettings settings;
    private final Clock clock = Clock.systemUTC();

    public LegacySseController(LegacySseSessions sessions, RequestGate gate, ToolCallGuard guard, JsonRpcCodec codec,
                               McpTransportSettings settings) {
        this.sessions = sessions;
        this.gate = gate;
        this.guard = guard;
        this.codec = codec;
        this.settings = settings;
    }

    @Get(value = "/sse", produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
    public MutableHttpResponse<?> open(HttpRequest<?> request) {
        if (sessions.isClosing()) {
            return gate.shuttingDown();
        }
        RequestGate.Admission admission = gate.admit(request);
        if (admission instanceof RequestGate.Refused refused) {
            return refused.response();
        }
        RequestGate.Admitted admitted = (RequestGate.Admitted) admission;
        Optional<MutableHttpResponse<?>> refusal = gate.requireAccept(request, MediaType.TEXT_EVENT_STREAM);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        SseEventStream stream = new SseEventStream(codec);
        sessions.open(admitted.caller().principal(), stream);
        return McpHttpResponses.withCorrelation(McpHttpResponses.eventStream(
                stream.events(StreamDeadline.lifetime(request, settings.maxStreamLifetime(), clock))),
                admitted.correlationId());
    }

    @Post(value = LegacySseSessions.MESSAGE_PATH, consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<?> message(HttpRequest<?> request, @Nullable @QueryValue String sessionId,
                                          @Nullable @Body String body) {
        if (sessions.isClosing()) {
            return gate.shuttingDown();
        }
        RequestGate.Admission admission = gate.admit(request);
        if (admission instanceof RequestGate.Refused refused) {
            return refused.response();
        }
        RequestGate.Admitted admitted = (RequestGate.Admitted) admission;
        Optional<MutableHttpResponse<?>> refusal = gate.requireJsonContent(request).or(() -> gate.requireBodySize(body));
        if (refusal.isPresent()) {
            return refusal.get();
        }
        if (sessionId == null || sessionId.isBlank()) {
            return McpHttpResponses.jsonRpcError(400, codec.error(JsonRpcCodec.INVALID_REQUEST,
                    "Bad Request: the sessionId query parameter is required"));
        }
        Optional<LegacySseSessions.LegacySession> legacy = sessions.find(sessionId, admitted.caller().principal());
        if (legacy.isEmpty()) {
            return McpHttpResponses.jsonRpcError(404, codec.error(JsonRpcCodec.INVALID_REQUEST,
                    "Not Found: no such session; open a new one with GET /sse"));
        }
        JsonRpcCodec.Inbound inbound = codec.read(body);
        if (inbound instanceof JsonRpcCodec.Invalid invalid) {
            return McpHttpResponses.jsonRpcError(400, codec.error(invalid.code(), invalid.message()));
        }
        McpSchema.JSONRPCMessage message = ((JsonRpcCodec.Valid) inbound).message();
        if (message instanceof McpSchema.JSONRPCRequest rpc) {
            Optional<ToolCallGuard.Refusal> toolRefusal = guard.check(rpc, admitted.caller(), admitted.correlationId());
            if (toolRefusal.isPresent()) {
                legacy.get().stream().sendMessage(toolRefusal.get().error()).onErrorComplete().subscribe();
                return McpHttpResponses.withCorrelation(toolRefusal.get().status() == 403
                        ? guard.toHttpResponse(toolRefusal.get()) : McpHttpResponses.accepted(), admitted.correlationId());
            }
        }
        McpTransportContext context = CallerContext.of(admitted.caller(), admitted.correlationId());
        legacy.get().session().handle(message)
                .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
                .subscribe(done -> {
                }, error -> LOG.warn("Legacy SSE message failed (correlation id {})", admitted.correlationId(), error));
        return McpHttpResponses.withCorrelation(McpHttpResponses.accepted(), admitted.correlationId());
    }

    @Error(exception = ContentLengthExceededException.class)
    public MutableHttpResponse<?> tooLarge() {
        return gate.tooLarge();
    }

}
