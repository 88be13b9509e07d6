package dev.entramcp.adapter.http.audit;

import dev.entramcp.domain.model.AuditEvent;
import dev.entramcp.domain.port.out.RecordAuditEventPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * The audit trail as one JSON object per line on the dedicated SLF4J logger {@code audit}, so
 * that a log pipeline can route it apart from the application's logs (for example a logback
 * appender for the logger {@code audit}, with {@code additivity="false"}):
 * <pre>{"type":"audit","time":"2026-01-15T10:00:00Z","correlationId":"…","tid":"…","oid":"…",
 *  "clientApp":"…","tool":"send_mail","action":"DENIED","reason":"missing app role Mail.Sender"}</pre>
 *
 * <p>Input cannot forge a line: every character outside printable ASCII (line breaks, control
 * characters, Unicode line separators, anything else) is written as a {@code \\uXXXX} escape, and
 * quotes and backslashes are escaped, so a value can neither end the line nor the JSON string.
 * It never writes a token: an {@link AuditEvent} holds none, and as a second guard anything in the
 * reason shaped like a JWT is replaced by {@code [redacted]}.
 */
public final class StructuredAuditLog implements RecordAuditEventPort {

    /** The name of the logger the audit lines go to. */
    public static final String LOGGER_NAME = "audit";

    private static final Logger FALLBACK = LoggerFactory.getLogger(StructuredAuditLog.class);

    private final Logger audit;

    public StructuredAuditLog() {
        this(LoggerFactory.getLogger(LOGGER_NAME));
    }

    StructuredAuditLog(Logger audit) {
        this.audit = Objects.requireNonNull(audit, "'audit' must not be null");
    }

    @Override
    public void record(AuditEvent event) {
        Objects.requireNonNull(event, "'event' must not be null");
        try {
            audit.info(toJsonLine(event));
        } catch (RuntimeException loggingFailed) {
            FALLBACK.error("Could not write an audit line (correlation id {})", event.correlationId(), loggingFailed);
        }
    }

    /** The event as one line of JSON ({@link AuditEvent#toJsonLine()}, the format both scenarios share). */
    public static String toJsonLine(AuditEvent event) {
        return event.toJsonLine();
    }
}
