package dev.entramcp.adapter.graph;

import dev.entramcp.domain.model.Require;

import java.time.Duration;

/**
 * How hard the Graph adapter tries before it gives up, following Graph's throttling guidance:
 * wait what {@code Retry-After} says on a 429 or 503, otherwise back off exponentially with full
 * jitter. Both the number of attempts and the total time spent waiting are bounded, so a tool
 * call never hangs behind a throttled Graph: once the budget is spent, the caller gets a
 * {@code Throttled} failure that says how long to wait.
 *
 * @param maxAttempts    attempts in all, the first one included (1 = never retry), at most {@value #MAX_ATTEMPTS}
 * @param initialBackoff the back-off ceiling before the first retry; doubled before each further one
 * @param maxBackoff     the cap on any single back-off ceiling
 * @param maxTotalWait   the most the adapter sleeps over all retries of one call; a {@code Retry-After}
 *                       that does not fit in what is left ends the call at once
 */
public record GraphRetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxTotalWait) {

    public static final int MAX_ATTEMPTS = 10;

    public GraphRetryPolicy {
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("'maxAttempts' must be between 1 and " + MAX_ATTEMPTS);
        }
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("'maxBackoff' must not be shorter than 'initialBackoff'");
        }
        Require.notNull(maxTotalWait, "maxTotalWait");
        if (maxTotalWait.isNegative()) {
            throw new IllegalArgumentException("'maxTotalWait' must not be negative");
        }
        if (maxTotalWait.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("'maxTotalWait' must be at most 5 minutes: a tool call should not hang longer");
        }
    }

    /** Four attempts, back-off from 500 ms capped at 8 s, at most 20 s of waiting in all. */
    public static GraphRetryPolicy defaults() {
        return new GraphRetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(20));
    }

    /** One attempt only: every failure is reported at once. */
    public static GraphRetryPolicy noRetries() {
        return new GraphRetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO);
    }

    /**
     * The back-off ceiling before retry number {@code retry} (1 for the first retry):
     * {@code min(maxBackoff, initialBackoff * 2^(retry-1))}. The delay actually slept is a
     * random point between zero and this ceiling ("full jitter"), so that many clients throttled
     * at the same moment do not come back at the same moment.
     */
    public Duration backoffCeiling(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("'retry' must be at least 1");
        }
        Duration ceiling = initialBackoff;
        for (int i = 1; i < retry && ceiling.compareTo(maxBackoff) < 0; i++) {
            ceiling = ceiling.multipliedBy(2);
        }
        return ceiling.compareTo(maxBackoff) > 0 ? maxBackoff : ceiling;
    }

    private static void requirePositive(Duration value, String field) {
        Require.notNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("'" + field + "' must be positive");
        }
    }
}
