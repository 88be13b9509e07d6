package dev.entramcp.domain.service;

import dev.entramcp.domain.model.AuditAction;
import dev.entramcp.domain.model.AuditEvent;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.CorrelationId;
import dev.entramcp.domain.model.ToolName;
import dev.entramcp.domain.port.out.RecordAuditEventPort;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/** Builds audit events with the time and the caller's ids, and records them. */
final class Auditor {

    private final RecordAuditEventPort audit;
    private final Clock clock;

    Auditor(RecordAuditEventPort audit, Clock clock) {
        this.audit = Objects.requireNonNull(audit, "'audit' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    }

    void record(CallerIdentity caller, CorrelationId correlationId, Optional<ToolName> tool, AuditAction action,
                String detail) {
        audit.record(new AuditEvent(clock.instant(), correlationId, caller.principal(), caller.clientAppId(), tool,
                action, detail));
    }
}
