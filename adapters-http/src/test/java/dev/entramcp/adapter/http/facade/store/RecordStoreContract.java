package dev.entramcp.adapter.http.facade.store;

import dev.entramcp.adapter.http.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link RecordStore} must do, run against each implementation (and, later, a shared
 * one): the expiry, the single use of {@link RecordStore#take} and the compare-and-set that
 * refresh-token rotation relies on, also under concurrency.
 */
abstract class RecordStoreContract {

    protected final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    /** A fresh, empty store on {@link #clock}. */
    protected abstract RecordStore store();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Optional<byte[]> value) {
        return value.map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void givenAPut_get_returnsTheValueInItsNamespaceOnly() {
        RecordStore store = store();

        store.put("grants", "g1", bytes("one"), Optional.empty());

        assertThat(text(store.get("grants", "g1"))).isEqualTo("one");
        assertThat(store.get("clients", "g1")).isEmpty();
        assertThat(store.get("grants", "g2")).isEmpty();
    }

    @Test
    void givenARecordPastItsExpiry_everyOperation_findsItAbsent() {
        RecordStore store = store();
        store.put("codes", "c1", bytes("code"), Optional.of(clock.instant().plusSeconds(60)));
        store.put("codes", "c2", bytes("code"), Optional.of(clock.instant().plusSeconds(60)));

        clock.advance(Duration.ofSeconds(60));

        assertThat(store.get("codes", "c1")).isEmpty();
        assertThat(store.take("codes", "c2")).isEmpty();
        assertThat(store.compareAndSet("codes", "c1", Optional.empty(), bytes("new"), Optional.empty())).isTrue();
    }

    @Test
    void givenARecord_take_returnsItOnceOnly() {
        RecordStore store = store();
        store.put("codes", "c1", bytes("code"), Optional.empty());

        Optional<byte[]> first = store.take("codes", "c1");
        Optional<byte[]> second = store.take("codes", "c1");

        assertThat(text(first)).isEqualTo("code");
        assertThat(second).isEmpty();
        assertThat(store.get("codes", "c1")).isEmpty();
    }

    @Test
    void givenManyConcurrentTakes_take_givesTheValueToExactlyOneCaller() throws Exception {
        RecordStore store = store();
        store.put("codes", "c1", bytes("code"), Optional.empty());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> takers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                takers.add(() -> store.take("codes", "c1").isPresent());
            }
            long winners = 0;
            for (Future<Boolean> result : pool.invokeAll(takers)) {
                winners += result.get() ? 1 : 0;
            }

            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenTheExpectedValue_compareAndSet_replacesIt_andGivenAnother_leavesItAlone() {
        RecordStore store = store();
        store.put("grants", "g1", bytes("v1"), Optional.empty());

        boolean stale = store.compareAndSet("grants", "g1", Optional.of(bytes("v0")), bytes("lost"), Optional.empty());
        boolean current = store.compareAndSet("grants", "g1", Optional.of(bytes("v1")), bytes("v2"), Optional.empty());

        assertThat(stale).isFalse();
        assertThat(current).isTrue();
        assertThat(text(store.get("grants", "g1"))).isEqualTo("v2");
    }

    @Test
    void givenExpectingAbsence_compareAndSet_writesOnlyIfThereIsNoRecord() {
        RecordStore store = store();

        boolean created = store.compareAndSet("grants", "g1", Optional.empty(), bytes("v1"), Optional.empty());
        boolean again = store.compareAndSet("grants", "g1", Optional.empty(), bytes("v2"), Optional.empty());

        assertThat(created).isTrue();
        assertThat(again).isFalse();
        assertThat(text(store.get("grants", "g1"))).isEqualTo("v1");
    }

    @Test
    void givenManyConcurrentRotationsOfTheSameVersion_compareAndSet_letsExactlyOneWin() throws Exception {
        RecordStore store = store();
        store.put("grants", "g1", bytes("generation-0"), Optional.empty());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> rotations = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String next = "generation-1-by-" + i;
                rotations.add(() -> store.compareAndSet("grants", "g1", Optional.of(bytes("generation-0")), bytes(next),
                        Optional.empty()));
            }
            long winners = 0;
            for (Future<Boolean> result : pool.invokeAll(rotations)) {
                winners += result.get() ? 1 : 0;
            }

            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenADeletedRecord_get_isEmpty_andDeletingNothingIsHarmless() {
        RecordStore store = store();
        store.put("grants", "g1", bytes("v1"), Optional.empty());

        store.delete("grants", "g1");
        store.delete("grants", "never-written");

        assertThat(store.get("grants", "g1")).isEmpty();
    }
}
