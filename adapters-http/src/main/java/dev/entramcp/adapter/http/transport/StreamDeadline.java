package dev.entramcp.adapter.http.transport;

import io.micronaut.http.HttpRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The policy for tokens that expire while a stream is open. Every request is authenticated on
 * its own, so an expired token cannot call a tool; but a stream the server keeps open
 * ({@code GET /mcp}, {@code GET /sse}) would otherwise go on delivering messages long after the
 * token that opened it has expired. So such a stream ends, cleanly, when that token expires, and
 * at the latest after {@code entramcp.mcp.max-stream-lifetime} when the expiry is not known. The
 * client reopens it with a fresh token (and gets a 401 challenge if it has none). The session
 * itself is bound to the principal, not to the token, so it survives a token refresh.
 *
 * <p>A POST's response stream is not cut short: it ends with its response, and the token was
 * valid when the call was authorized.
 *
 * <p>The authentication filter tells the transports when the token expires by setting the
 * request attribute {@link #TOKEN_EXPIRES_AT} to an {@link Instant} next to the caller.
 */
public final class StreamDeadline {

    /** The request attribute holding the verified token's expiry ({@code exp}) as an {@link Instant}. */
    public static final String TOKEN_EXPIRES_AT = "dev.entramcp.authenticated-caller.expires-at";

    private StreamDeadline() {
    }

    /** Sets the token expiry attribute; for the authentication filter. */
    public static void attachTokenExpiry(HttpRequest<?> request, Instant expiresAt) {
        request.setAttribute(TOKEN_EXPIRES_AT, expiresAt);
    }

    /** How long a stream opened by {@code request} may live: until the token expires, capped by {@code maxLifetime}. */
    static Duration lifetime(HttpRequest<?> request, Duration maxLifetime, Clock clock) {
        Optional<Instant> expiresAt = request.getAttribute(TOKEN_EXPIRES_AT, Instant.class);
        if (expiresAt.isEmpty()) {
            return maxLifetime;
        }
        Duration untilExpiry = Duration.between(clock.instant(), expiresAt.get());
        if (untilExpiry.isNegative()) {
            return Duration.ZERO;
        }
        return untilExpiry.compareTo(maxLifetime) < 0 ? untilExpiry : maxLifetime;
    }
}
