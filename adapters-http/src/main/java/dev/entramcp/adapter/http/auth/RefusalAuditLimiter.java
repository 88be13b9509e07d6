package dev.entramcp.adapter.http.auth;

import dev.entramcp.domain.model.JsonValues;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Bounds the audit lines written for refused tokens. Anyone can send tokens without signing in, so
 * one line per refusal would let a stranger flood the audit trail (and the disk) at no cost. Per
 * refusal reason, the first {@code linesPerWindow} refusals of each window are written in full; the
 * rest are only counted, and one {@code SUPPRESSED} line per reason gives the count when the
 * window ends (on the next refusal of that reason, or at the periodic {@link #drain}).
 *
 * <p>It is keyed by reason, not by client address: behind a proxy or a gateway every client has
 * the same address, and a key a client controls ({@code X-Forwarded-For}) would let it evade the
 * bound and grow the map. Reasons are a short, fixed list ({@link BearerTokenVerifier}'s), and the
 * map is bounded anyway: beyond {@link #MAX_REASONS} reasons, the others share one window.
 */
final class RefusalAuditLimiter {

    static final int DEFAULT_LINES_PER_WINDOW = 20;
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    static final int MAX_REASONS = 64;
    static final String OTHER_REASONS = "(other reasons)";

    /** The refusals of one reason that were counted but not written, during [{@code since}, {@code until}). */
    record Suppressed(String reason, long count, Instant since, Instant until) {

        /** The audit line that reports them, in the shape of the refusal lines. */
        String line() {
            return "{\"type\":\"authentication\",\"time\":" + JsonValues.quote(until.toString())
                    + ",\"action\":\"SUPPRESSED\",\"reason\":" + JsonValues.quote(reason)
                    + ",\"count\":" + count + ",\"since\":" + JsonValues.quote(since.toString()) + "}";
        }
    }

    /**
     * What to do with one refusal.
     *
     * @param write       whether to write its line
     * @param windowEnded the suppressed count of the reason's window that just ended, to write first
     */
    record Admission(boolean write, Optional<Suppressed> windowEnded) {
    }

    private static final class Window {
        private final Instant start;
        private int written;
        private long suppressed;

        private Window(Instant start) {
            this.start = start;
        }
    }

    private final int linesPerWindow;
    private final Duration window;
    private final Map<String, Window> windows = new HashMap<>();

    RefusalAuditLimiter(int linesPerWindow, Duration window) {
        if (linesPerWindow < 1) {
            throw new IllegalArgumentException("'linesPerWindow' must be at least 1");
        }
        Objects.requireNonNull(window, "'window' must not be null");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("'window' must be positive");
        }
        this.linesPerWindow = linesPerWindow;
        this.window = window;
    }

    /** The default bound: 20 lines per reason per minute. */
    static RefusalAuditLimiter standard() {
        return new RefusalAuditLimiter(DEFAULT_LINES_PER_WINDOW, DEFAULT_WINDOW);
    }

    /** Counts one refusal of {@code reason} at {@code now}. */
    synchronized Admission admit(String reason, Instant now) {
        String key = windows.containsKey(reason) || windows.size() < MAX_REASONS ? reason : OTHER_REASONS;
        Optional<Suppressed> ended = Optional.empty();
        Window current = windows.get(key);
        if (current != null && !now.isBefore(current.start.plus(window))) {
            ended = summary(key, current, now);
            current = null;
        }
        if (current == null) {
            current = new Window(now);
            windows.put(key, current);
        }
        if (current.written < linesPerWindow) {
            current.written++;
            return new Admission(true, ended);
        }
        current.suppressed++;
        return new Admission(false, ended);
    }

    /** Ends every window older than the window length, returning the counts of those that suppressed lines. */
    synchronized List<Suppressed> drain(Instant now) {
        List<Suppressed> summaries = new ArrayList<>();
        for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Window> entry = it.next();
            if (!now.isBefore(entry.getValue().start.plus(window))) {
                summary(entry.getKey(), entry.getValue(), now).ifPresent(summaries::add);
                it.remove();
            }
        }
        return summaries;
    }

    private static Optional<Suppressed> summary(String reason, Window ended, Instant now) {
        return ended.suppressed == 0 ? Optional.empty()
                : Optional.of(new Suppressed(reason, ended.suppressed, ended.start, now));
    }
}
