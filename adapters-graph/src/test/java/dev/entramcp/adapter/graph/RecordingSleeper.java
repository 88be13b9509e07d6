package dev.entramcp.adapter.graph;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Sleeper} that does not wait, and remembers each delay it was asked for. */
final class RecordingSleeper implements Sleeper {

    private final List<Duration> delays = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
        delays.add(duration);
    }

    List<Duration> delays() {
        return List.copyOf(delays);
    }
}
