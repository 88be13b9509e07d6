package dev.entramcp.adapter.http.facade.store;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The records in this process's memory: lost at restart (every client registration, grant and
 * signing key with them), which suits a demo or a test. Still sealed: a heap dump shows no
 * token in the clear.
 */
public final class InMemoryRecordStore implements RecordStore {

    private static final int SWEEP_EVERY = 256;

    private record Entry(byte[] value, Optional<Instant> expiresAt) {
        boolean expiredAt(Instant now) {
            return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
        }
    }

    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final AtomicInteger writes = new AtomicInteger();

    public InMemoryRecordStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    }

    @Override
    public Optional<byte[]> get(String namespace, String key) {
        String id = id(namespace, key);
        Entry entry = entries.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.expiredAt(clock.instant())) {
            entries.remove(id, entry);
            return Optional.empty();
        }
        return Optional.of(entry.value().clone());
    }

    @Override
    public void put(String namespace, String key, byte[] value, Optional<Instant> expiresAt) {
        entries.put(id(namespace, key), new Entry(value.clone(), Objects.requireNonNull(expiresAt, "'expiresAt' must not be null")));
        sweepNowAndThen();
    }

    @Override
    public Optional<byte[]> take(String namespace, String key) {
        Entry entry = entries.remove(id(namespace, key));
        if (entry == null || entry.expiredAt(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    @Override
    public boolean compareAndSet(String namespace, String key, Optional<byte[]> expected, byte[] value,
                                 Optional<Instant> expiresAt) {
        Objects.requireNonNull(expected, "'expected' must not be null");
        Objects.requireNonNull(expiresAt, "'expiresAt' must not be null");
        Instant now = clock.instant();
        AtomicBoolean written = new AtomicBoolean();
        entries.compute(id(namespace, key), (id, current) -> {
            Entry live = current == null || current.expiredAt(now) ? null : current;
            boolean matches = expected.isEmpty() ? live == null : live != null && Arrays.equals(live.value(), expected.get());
            if (!matches) {
                return live;
            }
            written.set(true);
            return new Entry(value.clone(), expiresAt);
        });
        sweepNowAndThen();
        return written.get();
    }

    @Override
    public void delete(String namespace, String key) {
        entries.remove(id(namespace, key));
    }

    /** How many records are held, expired ones included until the next sweep (for tests). */
    int size() {
        return entries.size();
    }

    private void sweepNowAndThen() {
        if (writes.incrementAndGet() % SWEEP_EVERY == 0) {
            Instant now = clock.instant();
            entries.entrySet().removeIf(entry -> entry.getValue().expiredAt(now));
        }
    }

    private static String id(String namespace, String key) {
        return RecordKeys.checkNamespace(namespace) + '\u0000' + RecordKeys.checkKey(key);
    }
}
