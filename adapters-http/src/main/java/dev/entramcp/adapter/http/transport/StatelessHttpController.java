package dev.entramcp.adapter.http.transport;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
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
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

import java.util.Optional;

/**
 * Streamable HTTP at {@code /mcp}, stateless ({@code entramcp.mcp.mode: stateless}): every POST
 * is answered on its own with JSON, so any replica behind a plain load balancer can serve any
 * request, and nothing is kept in memory between requests.
 *
 * <p>What it gives up: no {@code Mcp-Session-Id} and no session state; no {@code GET} listening
 * stream (405), hence no server-to-client requests or notifications, no {@code list_changed};
 * no progress or logging notifications during a call (the answer is one JSON document); no
 * {@code DELETE} (405). Authentication, rate limiting, the 403 step-up and every other check are
 * the same as in stateful mode, since they never depended on a session.
 */
@Secured(SecurityRule.IS_AUTHENTICATED)
@Controller("/mcp")
@Requires(property = "entramcp.mcp.mode", value = "stateless")
public final class StatelessHttpController {

    private final StatelessHttpTransport transport;
    private final RequestGate gate;
    private final ToolCallGuard guard;
    private final JsonRpcCodec codec;

    public StatelessHttpController(StatelessHttpTransport transport, RequestGate gate, ToolCallGuard guard,
                                   JsonRpcCodec codec) {
        this.transport = transport;
        this.gate = gate;
        this.guard = guard;
        this.codec = codec;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public Mono<MutableHttpResponse<?>> post(HttpRequest<?> request, @Nullable @Body String body) {
        if (transport.isClosing()) {
            return Mono.just(gate.shuttingDown());
        }
        RequestGate.MessageAdmission admission = gate.admitMessage(request, body, transport.protocolVersions());
        if (admission instanceof RequestGate.Refused refused) {
            return Mono.just(refused.response());
        }
        RequestGate.AdmittedMessage posted = (RequestGate.AdmittedMessage) admission;
        McpSchema.JSONRPCMessage message = posted.message();
        McpTransportContext context = CallerContext.of(posted.caller(), posted.correlationId());
        if (message instanceof McpSchema.JSONRPCNotification notification) {
            return McpHttpResponses.acceptedOnceHandled(transport.handler().handleNotification(context, notification),
                    notification, context);
        }
        if (!(message instanceof McpSchema.JSONRPCRequest rpc)) {
            return Mono.just(McpHttpResponses.jsonRpcError(400, codec.error(JsonRpcCodec.INVALID_REQUEST,
                    "Invalid Request: a stateless server sends no requests, so it expects no responses")));
        }
        Optional<ToolCallGuard.Refusal> toolRefusal = guard.check(rpc, posted.caller(), posted.correlationId());
        if (toolRefusal.isPresent()) {
            return Mono.just(McpHttpResponses.withCorrelation(guard.toHttpResponse(toolRefusal.get()),
                    posted.correlationId()));
        }
        return transport.handler().handleRequest(context, rpc)
                .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
                .<MutableHttpResponse<?>>map(response -> McpHttpResponses.json(codec.write(response)))
                .map(response -> McpHttpResponses.withCorrelation(response, posted.correlationId()));
    }

    /** No listening stream in stateless mode: the spec's answer is 405. */
    @Get(produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    public MutableHttpResponse<?> listen() {
        return methodNotAllowed();
    }

    /** No session to delete in stateless mode. */
    @Delete(produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    public MutableHttpResponse<?> delete() {
        return methodNotAllowed();
    }

    @Error(exception = ContentLengthExceededException.class)
    public MutableHttpResponse<?> tooLarge() {
        return gate.tooLarge();
    }


    private MutableHttpResponse<?> methodNotAllowed() {
        return McpHttpResponses.jsonRpcError(405, codec.error(JsonRpcCodec.INVALID_REQUEST,
                        "Method Not Allowed: this server is stateless; POST each message to /mcp"))
                .header(HttpHeaders.ALLOW, "POST");
    }
}
