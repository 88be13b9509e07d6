package dev.entramcp.adapter.http.transport;

import dev.entramcp.domain.model.PrincipalId;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A token bucket per principal ({@code tid} + {@code oid}): each principal may send
 * {@code burst} requests at once and {@code requestsPerSecond} on average. Keyed by the
 * verified principal, never by IP address or token, so a user cannot escape it by refreshing
 * a token, and users behind one proxy do not starve each other.
 *
 * <p>Memory is bounded: at most {@code maxTrackedPrincipals} buckets are kept, the least
 * recently seen dropped first. A dropped principal starts again with a full bucket, which only
 * matters when more principals than that are active at once; size the bound above the number
 * of concurrent users. The buckets are a {@link TokenBucketLimiter} keyed by principal.
 */
public final class PrincipalRateLimiter {

    private final TokenBucketLimiter<PrincipalId> buckets;

    public PrincipalRateLimiter(double requestsPerSecond, int burst, int maxTrackedPrincipals, LongSupplier nanoTime) {
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("'requestsPerSecond' must be positive");
        }
        if (maxTrackedPrincipals < 1) {
            throw new IllegalArgumentException("'maxTrackedPrincipals' must be at least 1");
        }
        this.buckets = new TokenBucketLimiter<>(requestsPerSecond, burst, maxTrackedPrincipals, nanoTime);
    }

    /**
     * Takes one token for {@code principal}. Empty when the request may proceed; otherwise how
     * long to wait before one token is available again (for {@code Retry-After}).
     */
    public Optional<Duration> tryAcquire(PrincipalId principal) {
        Objects.requireNonNull(principal, "'principal' must not be null");
        return buckets.tryAcquire(principal);
    }

    /** How many principals are currently tracked (bounded by {@code maxTrackedPrincipals}). */
    public int trackedPrincipals() {
        return buckets.trackedKeys();
    }
}
