package dev.entramcp.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock a test moves forward, to expire codes and tokens without waiting. */
final class MutableClock extends Clock {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final AtomicReference<Runnable> onNextRead = new AtomicReference<>();

    void advance(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
    }

    /**
     * Runs {@code action} inside the next {@link #instant()} call, on the thread that reads the clock: a test
     * uses it to act at an exact point of a request the emulator is serving (a race, made deterministic).
     */
    void onNextRead(Runnable action) {
        onNextRead.set(action);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Runnable action = onNextRead.getAndSet(null);
        if (action != null) {
            action.run();
        }
        return now.get();
    }
}
