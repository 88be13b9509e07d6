package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.auth.AuthenticatedCaller;
import io.micronaut.http.HttpRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The policy for tokens that expire while a stream is open. Every request is authenticated on
 * its own, so an expired token cannot call a tool; but a stream the server keeps open
 * ({@code GET /mcp}, {@code GET /sse}) would otherwise go on delivering messages long after the
 * token that opened it has expired. So such a stream ends, cleanly, when that token expires, or
 * after {@code entramcp.mcp.max-stream-lifetime} if that comes first. The client reopens it
 * with a fresh token (and gets a 401 challenge if it has none). The session itself is bound to
 * the principal, not to the token, so it survives a token refresh.
 *
 * <p>A POST's response stream is not cut short: it ends with its response, and the token was
 * valid when the call was authorized.
 *
 * <p>The token's expiry is the {@code exp} that authentication attached with the caller
 * ({@link AuthenticatedCaller#expiresAt}). The stream ends at {@code exp} itself, not at
 * {@code exp} plus the clock skew that token validation tolerates: the skew is there to absorb
 * clock differences between Entra and this server, not to lengthen a session.
 */
final class StreamDeadline {

    private StreamDeadline() {
    }

    /**
     * How long a stream opened by {@code request} may live: until the token expires, capped by
     * {@code maxLifetime}. Without a recorded expiry (which authentication never leaves out), the
     * stream is not kept open at all: failing closed.
     */
    static Duration lifetime(HttpRequest<?> request, Duration maxLifetime, Clock clock) {
        Optional<Instant> expiresAt = AuthenticatedCaller.expiresAt(request);
        if (expiresAt.isEmpty()) {
            return Duration.ZERO;
        }
        Duration untilExpiry = Duration.between(clock.instant(), expiresAt.get());
        if (untilExpiry.isNegative()) {
            return Duration.ZERO;
        }
        return untilExpiry.compareTo(maxLifetime) < 0 ? untilExpiry : maxLifetime;
    }
}
