package dev.entramcp.adapter.graph;

import java.time.Duration;

/**
 * Waits between two attempts. Injected so that tests can record the delays the adapter chose
 * without really waiting; production uses {@link #real()}.
 */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** Really waits, on the calling thread. */
    static Sleeper real() {
        return duration -> {
            if (!duration.isNegative() && !duration.isZero()) {
                Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
            }
        };
    }
}
