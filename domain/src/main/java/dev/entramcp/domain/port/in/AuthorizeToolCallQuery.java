package dev.entramcp.domain.port.in;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.CorrelationId;

import java.util.Objects;

/** Would the policy refuse this caller a call of {@code toolName}? */
public record AuthorizeToolCallQuery(CallerIdentity caller, String toolName, CorrelationId correlationId) {

    public AuthorizeToolCallQuery {
        Objects.requireNonNull(caller, "'caller' must not be null");
        Objects.requireNonNull(toolName, "'toolName' must not be null");
        Objects.requireNonNull(correlationId, "'correlationId' must not be null");
    }
}
