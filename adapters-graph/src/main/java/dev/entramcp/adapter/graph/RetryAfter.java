package dev.entramcp.adapter.graph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110, section 10.2.3): either a number of
 * seconds or an HTTP-date. A date in the past means "now". Anything else is ignored, and the
 * adapter falls back to its own back-off.
 */
final class RetryAfter {

    /** Longer hints are clamped; the retry budget decides anyway whether to wait that long. */
    private static final long MAX_SECONDS = 24 * 60 * 60;

    private RetryAfter() {
    }

    static Optional<Duration> parse(Optional<String> header, Clock clock) {
        return header.map(String::trim).filter(value -> !value.isEmpty()).flatMap(value -> parse(value, clock));
    }

    private static Optional<Duration> parse(String value, Clock clock) {
        if (value.chars().allMatch(Character::isDigit)) {
            if (value.length() > 9) {
                return Optional.of(Duration.ofSeconds(MAX_SECONDS));
            }
            return Optional.of(Duration.ofSeconds(Math.min(Long.parseLong(value), MAX_SECONDS)));
        }
        try {
            Instant when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration delay = Duration.between(clock.instant(), when);
            if (delay.isNegative()) {
                return Optional.of(Duration.ZERO);
            }
            return Optional.of(delay.compareTo(Duration.ofSeconds(MAX_SECONDS)) > 0 ? Duration.ofSeconds(MAX_SECONDS) : delay);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
