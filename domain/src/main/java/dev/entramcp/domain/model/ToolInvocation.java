package dev.entramcp.domain.model;

import java.util.Map;

/** One call of a tool by an authorized caller, with its raw JSON arguments. */
public record ToolInvocation(CallerIdentity caller, Map<String, Object> arguments, CorrelationId correlationId) {

    public ToolInvocation {
        Require.notNull(caller, "caller");
        arguments = Require.deepImmutableMap(arguments, "arguments");
        Require.notNull(correlationId, "correlationId");
    }
}
