package dev.entramcp.adapter.http.transport;

import dev.entramcp.domain.model.PrincipalId;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * of concurrent users.
 */
public final class PrincipalRateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double tokensPerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<PrincipalId, Bucket> buckets;

    public PrincipalRateLimiter(double requestsPerSecond, int burst, int maxTrackedPrincipals, LongSupplier nanoTime) {
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("'requestsPerSecond' must be positive");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("'burst' must be at least 1");
        }
        if (maxTrackedPrincipals < 1) {
            throw new IllegalArgumentException("'maxTrackedPrincipals' must be at least 1");
        }
        this.tokensPerNano = requestsPerSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.nanoTime = Objects.requireNonNull(nanoTime, "'nanoTime' must not be null");
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PrincipalId, Bucket> eldest) {
                return size() > maxTrackedPrincipals;
            }
        };
    }

    /**
     * Takes one token for {@code principal}. Empty when the request may proceed; otherwise how
     * long to wait before one token is available again (for {@code Retry-After}).
     */
    public Optional<Duration> tryAcquire(PrincipalId principal) {
        Objects.requireNonNull(principal, "'principal' must not be null");
        long now = nanoTime.getAsLong();
        synchronized (buckets) {
            Bucket bucket = buckets.computeIfAbsent(principal, key -> new Bucket(burst, now));
            bucket.refill(now, tokensPerNano, burst);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Optional.empty();
            }
            long waitNanos = (long) Math.ceil((1 - bucket.tokens) / tokensPerNano);
            return Optional.of(Duration.ofNanos(Math.max(1, waitNanos)));
        }
    }

    /** How many principals are currently tracked (bounded by {@code maxTrackedPrincipals}). */
    public int trackedPrincipals() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    private static final class Bucket {
        private double tokens;
        private long updatedAt;

        private Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }

        private void refill(long now, double tokensPerNano, double burst) {
            long elapsed = Math.max(0, now - updatedAt);
            tokens = Math.min(burst, tokens + elapsed * tokensPerNano);
            updatedAt = now;
        }
    }
}
