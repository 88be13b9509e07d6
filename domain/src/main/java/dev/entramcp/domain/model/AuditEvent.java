package dev.entramcp.domain.model;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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

    private static final Pattern JWT_SHAPED = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");

    public AuditEvent {
        Require.notNull(at, "at");
        Require.notNull(correlationId, "correlationId");
        Require.notNull(principal, "principal");
        Require.notBlank(clientAppId, "clientAppId");
        Require.notNull(tool, "tool");
        Require.notNull(action, "action");
        Require.notNull(detail, "detail");
    }

    /**
     * The event as one line of JSON, the audit trail's format in every scenario:
     * <pre>{"type":"audit","time":"2026-01-15T10:00:00Z","correlationId":"…","tid":"…","oid":"…",
     *  "clientApp":"…","tool":"send_mail","action":"DENIED","reason":"missing app role Mail.Sender"}</pre>
     * Input cannot forge a line: every character outside printable ASCII is written as a
     * {@code \\uXXXX} escape, and quotes and backslashes are escaped, so a value can end neither
     * the line nor its JSON string. As a second guard against a token reaching the trail (an event
     * holds none), anything in the detail shaped like a JWT becomes {@code [redacted]}.
     */
    public String toJsonLine() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", "audit");
        fields.put("time", DateTimeFormatter.ISO_INSTANT.format(at));
        fields.put("correlationId", correlationId.value());
        fields.put("tid", principal.tenantId());
        fields.put("oid", principal.objectId());
        fields.put("clientApp", clientAppId);
        fields.put("tool", tool.map(ToolName::value).orElse(null));
        fields.put("action", action.name());
        fields.put("reason", JWT_SHAPED.matcher(detail).replaceAll("[redacted]"));
        StringBuilder line = new StringBuilder(256).append('{');
        fields.forEach((name, value) -> {
            if (line.length() > 1) {
                line.append(',');
            }
            line.append('"').append(name).append("\":");
            line.append(value == null ? "null" : JsonValues.quote(value));
        });
        return line.append('}').toString();
    }
}
