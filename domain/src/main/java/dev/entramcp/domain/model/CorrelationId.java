package dev.entramcp.domain.model;

import java.util.UUID;
import java.util.regex.Pattern;

/** Ties together the audit events and log lines of one request. */
public record CorrelationId(String value) {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public CorrelationId {
        Require.matches(value, SAFE, "value", "1 to 64 characters of letters, digits, '.', '_' or '-'");
    }

    public static CorrelationId of(String value) {
        return new CorrelationId(value);
    }

    public static CorrelationId random() {
        return new CorrelationId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
