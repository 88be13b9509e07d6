package dev.entramcp.adapter.http.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The checked configuration of the MCP HTTP transports ({@code entramcp.mcp.*}). Built once at
 * start-up by {@link #from(McpHttpProperties, Duration)}, which fails with one message listing
 * every setting to fix, so that a misconfigured server never starts half-protected.
 *
 * @param mode                 {@code stateful} (sessions, streams) or {@code stateless} (any replica answers)
 * @param legacySseEnabled     whether the 2024-11-05 HTTP+SSE transport ({@code /sse}, {@code /message}) is served
 * @param allowedOrigins       browser origins that may call, e.g. {@code https://app.example.com} or
 *                             {@code http://localhost:*} (any port); a request without {@code Origin} is not a
 *                             browser's and passes
 * @param allowedHosts         values the {@code Host} header may take, e.g. {@code mcp.example.com} (any port) or
 *                             {@code mcp.example.com:8443}; guards against DNS rebinding. The host of
 *                             {@code entramcp.http.public-base-url} is always added to them
 * @param maxBodyBytes         the largest request body accepted, in bytes
 * @param sessionIdleTimeout   a session without any request for this long is closed
 * @param maxSessionsPerPrincipal how many live sessions one principal ({@code tid} + {@code oid}) may have;
 *                             initialising one more closes that principal's least recently used session
 * @param keepAliveInterval    how often open streams are pinged; must be shorter than the session idle timeout and
 *                             than the HTTP server's idle timeouts, or quiet streams are cut
 * @param maxStreamLifetime    the longest a server-to-client stream lives, even when the token that opened it
 *                             expires later
 * @param requestTimeout       how long the server waits for a client's answer to its own requests (pings)
 * @param rateLimitEnabled     whether requests are rate-limited per principal
 * @param requestsPerSecond    the sustained rate each principal may send
 * @param burst                how many requests a principal may send at once
 * @param maxTrackedPrincipals how many principals' buckets are kept in memory (least recently seen are dropped)
 */
public record McpTransportSettings(TransportMode mode, boolean legacySseEnabled, List<String> allowedOrigins,
                                   List<String> allowedHosts, long maxBodyBytes, Duration sessionIdleTimeout,
                                   int maxSessionsPerPrincipal, Duration keepAliveInterval, Duration maxStreamLifetime, Duration requestTimeout,
                                   boolean rateLimitEnabled, double requestsPerSecond, int burst,
                                   int maxTrackedPrincipals) {

    public McpTransportSettings {
        Objects.requireNonNull(mode, "'mode' must not be null");
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedHosts = List.copyOf(allowedHosts);
        Objects.requireNonNull(sessionIdleTimeout, "'sessionIdleTimeout' must not be null");
        if (maxSessionsPerPrincipal < 1) {
            throw new IllegalArgumentException("'maxSessionsPerPrincipal' must be at least 1");
        }
        Objects.requireNonNull(keepAliveInterval, "'keepAliveInterval' must not be null");
        Objects.requireNonNull(maxStreamLifetime, "'maxStreamLifetime' must not be null");
        Objects.requireNonNull(requestTimeout, "'requestTimeout' must not be null");
    }

    /**
     * Checks the properties against each other and against the HTTP server's shortest idle
     * timeout, and reports every problem at once, each saying what to set.
     */
    public static McpTransportSettings from(McpHttpProperties properties, Duration serverIdleTimeout) {
        List<String> problems = new ArrayList<>();
        TransportMode mode = null;
        try {
            mode = TransportMode.parse(properties.getMode());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        OriginHostPolicy.validate(properties.getAllowedOrigins(), properties.getAllowedHosts(), problems);
        if (properties.getMaxBodyBytes() <= 0) {
            problems.add("entramcp.mcp.max-body-bytes must be a positive number of bytes (for example 1048576 for 1 MiB)");
        }
        requirePositive(properties.getSessionIdleTimeout(), "session-idle-timeout", "30m", problems);
        if (properties.getMaxSessionsPerPrincipal() < 1) {
            problems.add("entramcp.mcp.max-sessions-per-principal must be at least 1 (default 32)");
        }
        requirePositive(properties.getKeepAliveInterval(), "keep-alive-interval", "60s", problems);
        requirePositive(properties.getMaxStreamLifetime(), "max-stream-lifetime", "60m", problems);
        requirePositive(properties.getRequestTimeout(), "request-timeout", "60s", problems);
        if (isPositive(properties.getKeepAliveInterval()) && isPositive(properties.getSessionIdleTimeout())
                && properties.getKeepAliveInterval().compareTo(properties.getSessionIdleTimeout()) >= 0) {
            problems.add("entramcp.mcp.keep-alive-interval (" + properties.getKeepAliveInterval()
                    + ") must be shorter than entramcp.mcp.session-idle-timeout (" + properties.getSessionIdleTimeout() + ")");
        }
        if (isPositive(properties.getKeepAliveInterval()) && serverIdleTimeout != null && isPositive(serverIdleTimeout)
                && properties.getKeepAliveInterval().compareTo(serverIdleTimeout) >= 0) {
            problems.add("entramcp.mcp.keep-alive-interval (" + properties.getKeepAliveInterval()
                    + ") must be shorter than the HTTP server's idle timeouts (micronaut.server.idle-timeout, "
                    + "read-idle-timeout, write-idle-timeout; the shortest is " + serverIdleTimeout
                    + "), or quiet streams are closed by the server");
        }
        McpHttpProperties.RateLimit rateLimit = properties.getRateLimit();
        if (rateLimit.isEnabled()) {
            if (!(rateLimit.getRequestsPerSecond() > 0) || Double.isInfinite(rateLimit.getRequestsPerSecond())) {
                problems.add("entramcp.mcp.rate-limit.requests-per-second must be a positive number (for example 10), "
                        + "or set entramcp.mcp.rate-limit.enabled=false");
            }
            if (rateLimit.getBurst() < 1) {
                problems.add("entramcp.mcp.rate-limit.burst must be at least 1 (for example 40)");
            }
            if (rateLimit.getMaxTrackedPrincipals() < 1) {
                problems.add("entramcp.mcp.rate-limit.max-tracked-principals must be at least 1 (for example 10000)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid MCP transport configuration: " + String.join("; ", problems));
        }
        return new McpTransportSettings(mode, properties.getLegacySse().isEnabled(), properties.getAllowedOrigins(),
                properties.getAllowedHosts(), properties.getMaxBodyBytes(), properties.getSessionIdleTimeout(),
                properties.getMaxSessionsPerPrincipal(), properties.getKeepAliveInterval(), properties.getMaxStreamLifetime(), properties.getRequestTimeout(),
                rateLimit.isEnabled(), rateLimit.getRequestsPerSecond(), rateLimit.getBurst(),
                rateLimit.getMaxTrackedPrincipals());
    }

    private static void requirePositive(Duration value, String key, String example, List<String> problems) {
        if (!isPositive(value)) {
            problems.add("entramcp.mcp." + key + " must be a positive duration (for example " + example + ")");
        }
    }

    private static boolean isPositive(Duration value) {
        return value != null && !value.isNegative() && !value.isZero();
    }
}
