package dev.entramcp.domain.model;

import java.time.Instant;
import java.util.Optional;

/**
 * One entry of the audit trail. It names the caller by tenant and object id and the client
 * application, never by token.
 *
 * @param at            when
 * @param correlationId ties the event to the request's log lines
 * @param principal     tenant id and object id of the caller
 * @param clientAppId   the client application ({@code azp})
 * @param tool          the tool concerned; empty for a listing
 * @param action        listed / allowed / denied / failed
 * @param detail        the decision or the reason, in a few words
 */
public record AuditEvent(Instant at, CorrelationId correlationId, PrincipalId principal, String clientAppId,
                         Optional<ToolName> tool, AuditAction action, String detail) {

    public AuditEvent {
        Require.notNull(at, "at");
        Require.notNull(correlationId, "correlationId");
        Require.notNull(principal, "principal");
        Require.notBlank(clientAppId, "clientAppId");
        Require.notNull(tool, "tool");
        Require.notNull(action, "action");
        Require.notNull(detail, "detail");
    }
}
