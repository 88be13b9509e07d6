package dev.entramcp.domain.port.in;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.CorrelationId;

import java.util.Map;
import java.util.Objects;

/**
 * Call the tool named {@code toolName} with these JSON arguments. The name is kept as the raw
 * string the client sent, so that an invalid name is an "unknown tool", not a crash.
 */
public record CallToolCommand(CallerIdentity caller, String toolName, Map<String, Object> arguments,
                              CorrelationId correlationId) {

    public CallToolCommand {
        Objects.requireNonNull(caller, "'caller' must not be null");
        Objects.requireNonNull(toolName, "'toolName' must not be null");
        arguments = arguments == null ? Map.of() : arguments;
        Objects.requireNonNull(correlationId, "'correlationId' must not be null");
    }
}
