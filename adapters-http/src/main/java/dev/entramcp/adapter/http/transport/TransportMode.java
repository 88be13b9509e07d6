package dev.entramcp.adapter.http.transport;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How {@code /mcp} keeps state. {@link #STATEFUL} gives each client a session bound to its
 * principal, a listening stream and server-to-client notifications; {@link #STATELESS} answers
 * each POST on its own, so that any replica can serve any request behind a plain load balancer.
 */
public enum TransportMode {
    STATEFUL,
    STATELESS;

    /** Parses {@code entramcp.mcp.mode}; the error lists the allowed values. */
    public static TransportMode parse(String value) {
        for (TransportMode mode : values()) {
            if (mode.configValue().equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("entramcp.mcp.mode must be one of "
                + Arrays.stream(values()).map(TransportMode::configValue).collect(Collectors.joining(", "))
                + ", but was '" + value + "'");
    }

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
