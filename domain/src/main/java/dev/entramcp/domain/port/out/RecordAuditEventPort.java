package dev.entramcp.domain.port.out;

import dev.entramcp.domain.model.AuditEvent;

/** Appends an event to the audit trail. Must not throw for a well-formed event. */
@FunctionalInterface
public interface RecordAuditEventPort {

    void record(AuditEvent event);
}
