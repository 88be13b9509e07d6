package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.auth.Challenges;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.CorrelationId;
import dev.entramcp.domain.model.Decision;
import dev.entramcp.domain.port.in.AuthorizeToolCallQuery;
import dev.entramcp.domain.port.in.AuthorizeToolCallUseCase;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The policy check made on a {@code tools/call} <em>before</em> it is dispatched, because only
 * then can the answer still be an HTTP status. MCP 2025-11-25 step-up authorization: a caller
 * whose token lacks scopes gets {@code 403} with
 * {@code WWW-Authenticate: Bearer error="insufficient_scope", scope="<every scope the tool needs>"},
 * so that the client can ask the user for a token with more scopes and retry. A caller who holds
 * the scopes but lacks an app role cannot fix that by consenting (an administrator assigns
 * roles), and neither can an application calling a user-only tool: they get a JSON-RPC error
 * ({@link JsonRpcCodec#FORBIDDEN}) that names what is missing, with HTTP 200.
 */
@Singleton
public final class ToolCallGuard {

    private final AuthorizeToolCallUseCase authorize;
    private final Challenges challenges;
    private final JsonRpcCodec codec;

    public ToolCallGuard(AuthorizeToolCallUseCase authorize, Challenges challenges, JsonRpcCodec codec) {
        this.authorize = Objects.requireNonNull(authorize, "'authorize' must not be null");
        this.challenges = Objects.requireNonNull(challenges, "'challenges' must not be null");
        this.codec = Objects.requireNonNull(codec, "'codec' must not be null");
    }

    /**
     * A refused or malformed call, as the HTTP status, the JSON-RPC error (with the request id)
     * and, for a scope shortfall, the challenge.
     */
    public record Refusal(int status, McpSchema.JSONRPCResponse error, Optional<String> challenge) {
    }

    /** Empty when the request is not a {@code tools/call} or the policy does not refuse it. */
    public Optional<Refusal> check(McpSchema.JSONRPCRequest request, CallerIdentity caller, CorrelationId correlationId) {
        if (!McpSchema.METHOD_TOOLS_CALL.equals(request.method())) {
            return Optional.empty();
        }
        Object name = request.params() instanceof Map<?, ?> params ? params.get("name") : null;
        if (!(name instanceof String toolName)) {
            return Optional.of(new Refusal(200, McpSchema.JSONRPCResponse.error(request.id(),
                    new McpSchema.JSONRPCResponse.JSONRPCError(JsonRpcCodec.INVALID_PARAMS,
                            "Invalid params: 'name' must be a string", null)), Optional.empty()));
        }
        Optional<Decision.Denied> refusal = authorize.refusalFor(new AuthorizeToolCallQuery(caller, toolName, correlationId));
        if (refusal.isEmpty()) {
            return Optional.empty();
        }
        Decision.Denied denied = refusal.get();
        McpSchema.JSONRPCResponse error = McpSchema.JSONRPCResponse.error(request.id(),
                new McpSchema.JSONRPCResponse.JSONRPCError(JsonRpcCodec.FORBIDDEN, "Forbidden: " + denied.reason(),
                        ToolBridge.refusalData(denied)));
        if (denied.lacksScopes()) {
            return Optional.of(new Refusal(403, error, Optional.of(
                    challenges.insufficientScope(denied.requiredScopes(), denied.reason()).headerValue())));
        }
        return Optional.of(new Refusal(200, error, Optional.empty()));
    }

    /** The refusal as a complete HTTP answer carrying the JSON-RPC error. */
    public MutableHttpResponse<?> toHttpResponse(Refusal refusal) {
        MutableHttpResponse<String> response = McpHttpResponses.jsonRpcError(refusal.status(), codec.write(refusal.error()));
        refusal.challenge().ifPresent(challenge -> response.header(HttpHeaders.WWW_AUTHENTICATE, challenge));
        return response;
    }
}
