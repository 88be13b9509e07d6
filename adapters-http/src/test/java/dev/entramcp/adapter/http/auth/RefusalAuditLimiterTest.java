package dev.entramcp.adapter.http.auth;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entramcp.adapter.http.support.MutableClock;
import io.micronaut.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Refused tokens cannot flood the audit trail: a bounded number of lines per reason, then a count. */
class RefusalAuditLimiterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void givenMoreRefusalsOfOneReasonThanTheBound_admit_writesTheBoundThenCountsAndReportsTheCountWhenTheWindowEnds() {
        RefusalAuditLimiter limiter = new RefusalAuditLimiter(3, Duration.ofMinutes(1));

        List<Boolean> written = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            RefusalAuditLimiter.Admission admission = limiter.admit("malformed token", T0.plusSeconds(i));
            written.add(admission.write());
            assertThat(admission.windowEnded()).isEmpty();
        }
        RefusalAuditLimiter.Admission next = limiter.admit("malformed token", T0.plusSeconds(60));

        assertThat(written).containsExactly(true, true, true, false, false, false, false, false, false, false);
        assertThat(next.write()).isTrue();
        assertThat(next.windowEnded()).contains(new RefusalAuditLimiter.Suppressed("malformed token", 7, T0, T0.plusSeconds(60)));
    }

    @Test
    void givenOneReasonFlooding_admit_stillWritesTheOtherReasons() {
        RefusalAuditLimiter limiter = new RefusalAuditLimiter(2, Duration.ofMinutes(1));
        for (int i = 0; i < 100; i++) {
            limiter.admit("malformed token", T0);
        }

        assertThat(limiter.admit("token has expired", T0).write()).isTrue();
    }

    @Test
    void givenAWindowThatEndedWithSuppressedRefusals_drain_reportsItOnceAndForgetsIt() {
        RefusalAuditLimiter limiter = new RefusalAuditLimiter(1, Duration.ofMinutes(1));
        limiter.admit("malformed token", T0);
        limiter.admit("malformed token", T0.plusSeconds(1));
        limiter.admit("malformed token", T0.plusSeconds(2));
        limiter.admit("token has expired", T0.plusSeconds(3));

        List<RefusalAuditLimiter.Suppressed> early = limiter.drain(T0.plusSeconds(59));
        List<RefusalAuditLimiter.Suppressed> ended = limiter.drain(T0.plusSeconds(65));
        List<RefusalAuditLimiter.Suppressed> again = limiter.drain(T0.plusSeconds(200));

        assertThat(early).isEmpty();
        assertThat(ended).containsExactly(new RefusalAuditLimiter.Suppressed("malformed token", 2, T0, T0.plusSeconds(65)));
        assertThat(again).isEmpty();
    }

    @Test
    void givenMoreDistinctReasonsThanTheBound_admit_sharesOneWindowForTheRest() {
        RefusalAuditLimiter limiter = new RefusalAuditLimiter(1, Duration.ofMinutes(1));
        for (int i = 0; i < RefusalAuditLimiter.MAX_REASONS; i++) {
            limiter.admit("reason " + i, T0);
        }

        assertThat(limiter.admit("one more reason", T0).write()).isTrue();
        assertThat(limiter.admit("yet another reason", T0).write()).isFalse();
        assertThat(limiter.drain(T0.plusSeconds(60))).extracting(RefusalAuditLimiter.Suppressed::reason)
                .containsExactly(RefusalAuditLimiter.OTHER_REASONS);
    }

    @Test
    void givenASuppressedCount_line_isOneJsonLineInTheShapeOfTheRefusals() throws Exception {
        JsonNode line = JSON.readTree(new RefusalAuditLimiter.Suppressed("token has \"expired\"\n", 42, T0, T0.plusSeconds(60)).line());

        assertThat(line.path("type").asText()).isEqualTo("authentication");
        assertThat(line.path("action").asText()).isEqualTo("SUPPRESSED");
        assertThat(line.path("reason").asText()).isEqualTo("token has \"expired\"\n");
        assertThat(line.path("count").asLong()).isEqualTo(42);
        assertThat(line.path("since").asText()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(line.path("time").asText()).isEqualTo("2026-01-01T10:01:00Z");
    }

    @Test
    void givenAFloodOfBadTokens_theValidator_writesTheBoundedLinesAndThenTheSuppressedCount() throws Exception {
        MutableClock clock = new MutableClock(T0);
        BearerTokenVerifier verifier = new BearerTokenVerifier(List.of(TrustedIssuer.of("https://issuer.example/v2.0",
                Set.of("api://x"), Set.of(com.nimbusds.jose.JWSAlgorithm.RS256), keyId -> SigningKeys.Lookup.Missing.NOT_LOADED,
                Set.of("11111111-2222-3333-4444-555555555555"), java.util.Optional.empty(), false)), Duration.ZERO, clock, 0);
        BearerTokenValidator validator = new BearerTokenValidator(verifier, new RefusalAuditLimiter(5, Duration.ofMinutes(1)),
                clock, null);
        Logger audit = (Logger) LoggerFactory.getLogger("audit");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        audit.addAppender(lines);
        try {
            for (int i = 0; i < 1000; i++) {
                validator.authenticate("not-a-jwt", HttpRequest.POST("/mcp", "{}"));
            }
            clock.advance(Duration.ofMinutes(1));
            validator.writeSuppressedCounts();
        } finally {
            audit.detachAppender(lines);
        }

        List<JsonNode> events = new ArrayList<>();
        for (ILoggingEvent event : lines.list) {
            events.add(JSON.readTree(event.getFormattedMessage()));
        }
        assertThat(events).hasSize(6);
        assertThat(events.subList(0, 5)).allSatisfy(event -> assertThat(event.path("action").asText()).isEqualTo("REFUSED"));
        assertThat(events.get(5).path("action").asText()).isEqualTo("SUPPRESSED");
        assertThat(events.get(5).path("reason").asText()).isEqualTo("malformed token");
        assertThat(events.get(5).path("count").asLong()).isEqualTo(995);
    }

    @Test
    void givenNoLines_construction_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new RefusalAuditLimiter(0, Duration.ofMinutes(1)))
                .withMessage("'linesPerWindow' must be at least 1");
    }
}
