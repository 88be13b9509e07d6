package dev.entramcp.adapter.http.transport;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A token bucket per key: each key may be used {@code burst} times at once and
 * {@code perSecond} times a second on average. What the key is (a verified principal, a client
 * address) is the caller's choice, and decides what the limit means; see
 * {@link PrincipalRateLimiter} and the facade's request limits.
 *
 * <p>Memory is bounded: at most {@code maxTrackedKeys} buckets are kept, the least recently seen
 * dropped first. A dropped key starts again with a full bucket, which only matters when more keys
 * than that are active at once; size the bound above the number of keys active at one time.
 *
 * @param <K> the key type (with value equality)
 */
public final class TokenBucketLimiter<K> {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double tokensPerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<K, Bucket> buckets;

    public TokenBucketLimiter(double perSecond, int burst, int maxTrackedKeys, LongSupplier nanoTime) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("'perSecond' must be positive");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("'burst' must be at least 1");
        }
        if (maxTrackedKeys < 1) {
            throw new IllegalArgumentException("'maxTrackedKeys' must be at least 1");
        }
        this.tokensPerNano = perSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.nanoTime = Objects.requireNonNull(nanoTime, "'nanoTime' must not be null");
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Bucket> eldest) {
                return size() > maxTrackedKeys;
            }
        };
    }

    /** A limiter of {@code perMinute} uses a minute per key, all of which may come at once. */
    public static <K> TokenBucketLimiter<K> perMinute(int perMinute, int maxTrackedKeys, LongSupplier nanoTime) {
        return new TokenBucketLimiter<>(perMinute / 60.0, perMinute, maxTrackedKeys, nanoTime);
    }

    /**
     * Takes one token for {@code key}. Empty when the use may proceed; otherwise how long to wait
     * before one token is available again (for {@code Retry-After}).
     */
    public Optional<Duration> tryAcquire(K key) {
        Objects.requireNonNull(key, "'key' must not be null");
        long now = nanoTime.getAsLong();
        synchronized (buckets) {
            Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
            bucket.refill(now, tokensPerNano, burst);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Optional.empty();
            }
            long waitNanos = (long) Math.ceil((1 - bucket.tokens) / tokensPerNano);
            return Optional.of(Duration.ofNanos(Math.max(1, waitNanos)));
        }
    }

    /** How many keys are currently tracked (bounded by {@code maxTrackedKeys}). */
    public int trackedKeys() {
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
