package dev.entramcp.adapter.stdio;

import dev.entramcp.domain.model.CorrelationId;
import io.modelcontextprotocol.common.McpTransportContext;

import java.util.Set;
import java.util.function.Supplier;

/**
 * State that lives for one inbound JSON-RPC message: its correlation id, and the set of tools the
 * caller may see, computed (and audited) once per {@code tools/list} although the SDK asks the
 * visibility filter once per tool.
 */
final class RequestScope {

    private final CorrelationId correlationId = CorrelationId.random();
    private Set<String> visibleTools;

    static RequestScope of(McpTransportContext context) {
        Object scope = context == null ? null : context.get(StdioTransportProvider.REQUEST_SCOPE);
        return scope instanceof RequestScope requestScope ? requestScope : new RequestScope();
    }

    CorrelationId correlationId() {
        return correlationId;
    }

    synchronized Set<String> visibleTools(Supplier<Set<String>> compute) {
        if (visibleTools == null) {
            visibleTools = Set.copyOf(compute.get());
        }
        return visibleTools;
    }
}
