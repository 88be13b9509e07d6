package dev.entramcp.domain.port.in;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.CorrelationId;

import java.util.Objects;

/** Which tools may this caller see? */
public record ListToolsQuery(CallerIdentity caller, CorrelationId correlationId) {

    public ListToolsQuery {
        Objects.requireNonNull(caller, "'caller' must not be null");
        Objects.requireNonNull(correlationId, "'correlationId' must not be null");
    }
}
