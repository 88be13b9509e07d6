package dev.entramcp.adapter.graph;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks the delay actually slept for a back-off ceiling. Injected so that tests can prove the
 * ceilings the adapter computes; production uses {@link #full()}.
 */
@FunctionalInterface
public interface Jitter {

    /** A delay between zero and {@code ceiling}, both included. */
    Duration pick(Duration ceiling);

    /**
     * "Full jitter" (AWS Architecture Blog, <i>Exponential Backoff and Jitter</i>): uniformly
     * random between zero and the ceiling. It spreads retries of many throttled clients best.
     */
    static Jitter full() {
        return ceiling -> ceiling.isZero() || ceiling.isNegative()
                ? Duration.ZERO
                : Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling.toNanos() + 1));
    }
}
