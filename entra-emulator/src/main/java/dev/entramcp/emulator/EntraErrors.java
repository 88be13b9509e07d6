package dev.entramcp.emulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders an {@link EntraError} as the JSON body Entra's token endpoints send. */
final class EntraErrors {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private EntraErrors() {
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * {@code error}, {@code error_description} ("AADSTSnnnnn: message" followed by trace and correlation ids and
     * a timestamp, as Entra writes it), {@code error_codes}, {@code timestamp}, {@code trace_id},
     * {@code correlation_id}, and {@code suberror} and {@code claims} (a challenge, as a JSON string) when there
     * are.
     */
    static Map<String, Object> body(EntraError e, HttpCall call, Instant now) {
        String timestamp = timestamp(now);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.description() + " Trace ID: " + call.requestId() + " Correlation ID: "
                + call.correlationId() + " Timestamp: " + timestamp);
        body.put("error_codes", List.of(e.code()));
        body.put("timestamp", timestamp);
        body.put("trace_id", call.requestId());
        body.put("correlation_id", call.correlationId());
        if (e.suberror() != null) {
            body.put("suberror", e.suberror());
        }
        if (e.claims() != null) {
            body.put("claims", e.claims());
        }
        return body;
    }
}
