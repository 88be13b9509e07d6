package dev.entramcp.adapter.http.transport;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.CorrelationId;
import io.modelcontextprotocol.common.McpTransportContext;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * How the verified caller travels from an HTTP request to the tool code: inside the SDK's
 * {@link McpTransportContext}, which the transports write into the Reactor context of each
 * message they dispatch. Tool handlers run on other threads, so thread-locals (Micronaut's
 * request scope, a security context) would not reach them; this does.
 *
 * <p>It also memoises, for one request, which tools the caller may see, so that the SDK's
 * per-tool list filter asks the domain once per {@code tools/list}, not once per tool.
 */
public final class CallerContext {

    static final String CALLER = "dev.entramcp.caller";
    static final String CORRELATION_ID = "dev.entramcp.correlation-id";
    static final String VISIBLE_TOOLS = "dev.entramcp.visible-tools";

    private CallerContext() {
    }

    /** A transport context for one request of {@code caller}. */
    public static McpTransportContext of(CallerIdentity caller, CorrelationId correlationId) {
        Objects.requireNonNull(caller, "'caller' must not be null");
        Objects.requireNonNull(correlationId, "'correlationId' must not be null");
        return McpTransportContext.create(Map.of(
                CALLER, caller,
                CORRELATION_ID, correlationId,
                VISIBLE_TOOLS, new VisibleTools()));
    }

    public static Optional<CallerIdentity> caller(McpTransportContext context) {
        return context == null ? Optional.empty()
                : Optional.ofNullable(context.get(CALLER)).filter(CallerIdentity.class::isInstance).map(CallerIdentity.class::cast);
    }

    public static CorrelationId correlationId(McpTransportContext context) {
        Object value = context == null ? null : context.get(CORRELATION_ID);
        return value instanceof CorrelationId id ? id : CorrelationId.random();
    }

    /** The names of the tools this request's caller may see, computed once per request. */
    static Set<String> visibleTools(McpTransportContext context, CallerIdentity caller,
                                    Function<CallerIdentity, Set<String>> compute) {
        Object memo = context.get(VISIBLE_TOOLS);
        if (memo instanceof VisibleTools visible) {
            return visible.get(caller, compute);
        }
        return compute.apply(caller);
    }

    private static final class VisibleTools {
        private Set<String> names;

        synchronized Set<String> get(CallerIdentity caller, Function<CallerIdentity, Set<String>> compute) {
            if (names == null) {
                names = Set.copyOf(compute.apply(caller));
            }
            return names;
        }
    }
}
