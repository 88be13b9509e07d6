package dev.entramcp.adapter.graph;

import dev.entramcp.domain.fixtures.FixedClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Retry-After} as RFC 9110 defines it: delay-seconds or an HTTP-date. */
class RetryAfterTest {

    private static Optional<Duration> parse(String header) {
        return RetryAfter.parse(Optional.ofNullable(header), FixedClock.atNow());
    }

    @Test
    void givenSeconds_parse_isThatManySeconds() {
        assertThat(parse("0")).contains(Duration.ZERO);
        assertThat(parse(" 17 ")).contains(Duration.ofSeconds(17));
    }

    @Test
    void givenHttpDate_parse_isTheTimeUntilThen() {
        // FixedClock.NOW is 2026-01-15T10:00:00Z, a Thursday.
        assertThat(parse("Thu, 15 Jan 2026 10:00:42 GMT")).contains(Duration.ofSeconds(42));
    }

    @Test
    void givenHttpDateInThePast_parse_isZero() {
        assertThat(parse("Thu, 15 Jan 2026 09:00:00 GMT")).contains(Duration.ZERO);
    }

    @Test
    void givenAbsurdlyLongDelay_parse_isClampedToADay() {
        assertThat(parse("99999999999999999999")).contains(Duration.ofDays(1));
        assertThat(parse("86401")).contains(Duration.ofDays(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "-5", "1.5", "Thursday noon"})
    void givenSomethingElse_parse_isEmptySoTheAdapterBacksOffItself(String header) {
        assertThat(parse(header)).isEmpty();
    }

    @Test
    void givenNoHeader_parse_isEmpty() {
        assertThat(parse(null)).isEmpty();
    }
}
