package dev.entramcp.adapter.graph;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class JitterTest {

    @Test
    void givenCeiling_fullJitter_picksSpreadDelaysBetweenZeroAndTheCeiling() {
        Duration ceiling = Duration.ofMillis(800);
        Set<Duration> picks = new HashSet<>();

        IntStream.range(0, 2_000).forEach(i -> picks.add(Jitter.full().pick(ceiling)));

        assertThat(picks).allSatisfy(pick -> assertThat(pick).isBetween(Duration.ZERO, ceiling));
        assertThat(picks).anySatisfy(pick -> assertThat(pick).isLessThan(Duration.ofMillis(200)))
                .anySatisfy(pick -> assertThat(pick).isGreaterThan(Duration.ofMillis(600)));
    }

    @Test
    void givenZeroCeiling_fullJitter_isZero() {
        assertThat(Jitter.full().pick(Duration.ZERO)).isZero();
    }
}
