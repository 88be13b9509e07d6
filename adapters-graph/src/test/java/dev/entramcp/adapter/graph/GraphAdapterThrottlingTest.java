package dev.entramcp.adapter.graph;

import dev.entramcp.adapter.graph.FakeGraph.Reply;
import dev.entramcp.domain.fixtures.FixedClock;
import dev.entramcp.domain.model.EmailAddress;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UserProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What is retried, after how long, and what is not. The sleeper records the delays instead of
 * waiting, and the jitter returns the ceiling, so each delay the adapter chose is visible; one
 * test at the end really waits for a one-second {@code Retry-After}.
 */
class GraphAdapterThrottlingTest {

    /**
     * The request timeout of the tests that make Graph hang: short enough to keep them quick, long enough that a
     * retry on a fresh connection of a loaded machine is not itself timed out.
     */
    private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(2);
    private static final MailMessage MAIL = new MailMessage(List.of(EmailAddress.of("carol@contoso.example")), "Hello", "Hi");

    private final GraphTestbed bed = new GraphTestbed();

    @AfterEach
    void stop() {
        bed.close();
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void given429WithRetryAfterSeconds_loadUserProfile_waitsThatLongThenSucceeds() {
        bed.graph.script("/me", Reply.throttled("2"));

        UserProfile profile = bed.adapter().loadUserProfile(bed.alice);

        assertThat(profile).isEqualTo(bed.aliceProfile);
        assertThat(bed.sleeper.delays()).containsExactly(Duration.ofSeconds(2));
        assertThat(bed.graph.requestsTo("/me")).hasSize(2);
    }

    @Test
    void given503WithRetryAfterHttpDate_loadUserProfile_waitsUntilThatDate() {
        String inSevenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(FixedClock.NOW.plusSeconds(7).atZone(ZoneOffset.UTC));
        bed.graph.script("/me", Reply.unavailable(inSevenSeconds));

        bed.adapter().loadUserProfile(bed.alice);

        assertThat(bed.sleeper.delays()).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void givenRetryAfterDateInThePast_loadUserProfile_retriesAtOnce() {
        String aMinuteAgo = DateTimeFormatter.RFC_1123_DATE_TIME.format(FixedClock.NOW.minusSeconds(60).atZone(ZoneOffset.UTC));
        bed.graph.script("/me", Reply.throttled(aMinuteAgo));

        bed.adapter().loadUserProfile(bed.alice);

        assertThat(bed.sleeper.delays()).containsExactly(Duration.ZERO);
    }

    @Test
    void given429WithoutRetryAfter_loadUserProfile_backsOffExponentiallyUpToTheCap() {
        GraphRetryPolicy policy = new GraphRetryPolicy(5, ms(100), ms(300), Duration.ofSeconds(10));
        bed.graph.scriptAlways("/me", Reply.throttled(null));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter(bed.config().withRetry(policy)).loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isEqualTo(new ToolFailure.Throttled(ms(300))));
        assertThat(bed.sleeper.delays()).containsExactly(ms(100), ms(200), ms(300), ms(300));
        assertThat(bed.graph.requestsTo("/me")).hasSize(5);
    }

    @Test
    void givenJitter_loadUserProfile_sleepsWhatTheJitterPicksBelowEachCeiling() {
        bed.jitter = ceiling -> ceiling.dividedBy(4);
        bed.graph.script("/me", Reply.throttled(null), Reply.unavailable(null), Reply.throttled(null));

        bed.adapter().loadUserProfile(bed.alice);

        assertThat(bed.sleeper.delays()).containsExactly(ms(25), ms(50), ms(100));
    }

    @Test
    void givenThrottledOnEveryAttempt_loadUserProfile_givesUpAfterMaxAttemptsWithThrottled() {
        bed.graph.scriptAlways("/me", Reply.throttled("3"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isEqualTo(new ToolFailure.Throttled(Duration.ofSeconds(3))))
                .withMessageContaining("Wait 3 seconds");
        assertThat(bed.sleeper.delays()).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(3));
        assertThat(bed.graph.requestsTo("/me")).hasSize(4);
    }

    @Test
    void givenRetryAfterLongerThanTheWholeBudget_loadUserProfile_givesUpAtOnceSayingHowLongToWait() {
        bed.graph.scriptAlways("/me", Reply.throttled("120"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isEqualTo(new ToolFailure.Throttled(Duration.ofSeconds(120))));
        assertThat(bed.sleeper.delays()).isEmpty();
        assertThat(bed.graph.requestsTo("/me")).hasSize(1);
    }

    @Test
    void givenRetryAfterThatExhaustsTheBudget_loadUserProfile_stopsBeforeWaitingBeyondIt() {
        GraphRetryPolicy policy = new GraphRetryPolicy(10, ms(100), Duration.ofSeconds(1), Duration.ofSeconds(20));
        bed.graph.scriptAlways("/me", Reply.throttled("8"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter(bed.config().withRetry(policy)).loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.Throttled.class));
        assertThat(bed.sleeper.delays()).containsExactly(Duration.ofSeconds(8), Duration.ofSeconds(8));
        assertThat(bed.graph.requestsTo("/me")).hasSize(3);
    }

    @Test
    void given500_loadUserProfile_retriesWithBackoffThenSucceeds() {
        bed.graph.script("/me", Reply.error(500, "generalException"), Reply.error(502, "badGateway"));

        UserProfile profile = bed.adapter().loadUserProfile(bed.alice);

        assertThat(profile).isEqualTo(bed.aliceProfile);
        assertThat(bed.sleeper.delays()).containsExactly(ms(100), ms(200));
    }

    @Test
    void givenNoAnswerInTime_loadUserProfile_retriesTheIdempotentReadThenSucceeds() {
        bed.graph.script("/me", new Reply.Hang());

        UserProfile profile = bed.adapter(bed.config().withRequestTimeout(SHORT_TIMEOUT)).loadUserProfile(bed.alice);

        assertThat(profile).isEqualTo(bed.aliceProfile);
        assertThat(bed.graph.requestsTo("/me")).hasSize(2);
        assertThat(bed.sleeper.delays()).containsExactly(ms(100));
    }

    @Test
    void givenBodyThatStallsAfterTheHeaders_loadUserProfile_timesOutThenRetries() {
        bed.graph.script("/me", new Reply.StallBody());

        UserProfile profile = bed.adapter(bed.config().withRequestTimeout(SHORT_TIMEOUT)).loadUserProfile(bed.alice);

        assertThat(profile).isEqualTo(bed.aliceProfile);
        assertThat(bed.graph.requestsTo("/me")).hasSize(2);
        assertThat(bed.sleeper.delays()).containsExactly(ms(100));
    }

    @Test
    void givenBodyThatStallsAfterTheHeaders_sendMail_timesOutWithoutRetrying() {
        bed.graph.script("/me/sendMail", new Reply.StallBody());

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter(bed.config().withRequestTimeout(SHORT_TIMEOUT)).sendMail(bed.bob, MAIL))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageContaining("did not answer within 2 s");
        assertThat(bed.graph.requestsTo("/me/sendMail")).hasSize(1);
    }

    @Test
    void given429ThenSuccess_sendMail_retriesBecauseGraphDidNotProcessItAndSendsOnce() {
        bed.graph.script("/me/sendMail", Reply.throttled("1"));

        bed.adapter().sendMail(bed.bob, MAIL);

        assertThat(bed.sleeper.delays()).containsExactly(Duration.ofSeconds(1));
        assertThat(bed.graph.requestsTo("/me/sendMail")).hasSize(2);
        assertThat(bed.graph.outboxOf(bed.bob.principal())).containsExactly(MAIL);
    }

    @Test
    void given503ThenSuccess_sendMail_retriesAndSendsOnce() {
        bed.graph.script("/me/sendMail", Reply.unavailable(null));

        bed.adapter().sendMail(bed.bob, MAIL);

        assertThat(bed.sleeper.delays()).containsExactly(ms(100));
        assertThat(bed.graph.outboxOf(bed.bob.principal())).containsExactly(MAIL);
    }

    @Test
    void given500AfterGraphSentTheMail_sendMail_doesNotRetryAndSaysItMayHaveBeenSent() {
        bed.graph.script("/me/sendMail", new Reply.ProcessThenAnswer(500));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().sendMail(bed.bob, MAIL))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageContaining("may or may not")
                .withMessageContaining("Sent Items");
        assertThat(bed.graph.requestsTo("/me/sendMail")).hasSize(1);
        assertThat(bed.graph.outboxOf(bed.bob.principal())).containsExactly(MAIL);
        assertThat(bed.sleeper.delays()).isEmpty();
    }

    @Test
    void given504_sendMail_doesNotRetry() {
        bed.graph.script("/me/sendMail", Reply.error(504, "gatewayTimeout"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().sendMail(bed.bob, MAIL))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class));
        assertThat(bed.graph.requestsTo("/me/sendMail")).hasSize(1);
    }

    @Test
    void givenNoAnswerInTime_sendMail_doesNotRetryAndSaysItMayHaveBeenSent() {
        bed.graph.script("/me/sendMail", new Reply.Hang());

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter(bed.config().withRequestTimeout(SHORT_TIMEOUT)).sendMail(bed.bob, MAIL))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageContaining("did not answer within 2 s")
                .withMessageContaining("Sent Items");
        assertThat(bed.graph.requestsTo("/me/sendMail")).hasSize(1);
        assertThat(bed.sleeper.delays()).isEmpty();
    }

    @Test
    void givenConnectionDroppedWithoutAnswer_sendMail_doesNotRetry() {
        bed.graph.script("/me/sendMail", new Reply.Drop());

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().sendMail(bed.bob, MAIL))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageContaining("may or may not");
        assertThat(bed.graph.requestsTo("/me/sendMail")).hasSize(1);
    }

    @Test
    void givenNothingListening_sendMail_retriesBecauseNothingWasSentThenReportsUnavailable() throws IOException {
        URI closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v1.0");
        }
        GraphAdapter graph = bed.adapter(GraphConfig.of(closedPort, GraphTestbed.PREFIX)
                .withRetry(new GraphRetryPolicy(3, ms(100), Duration.ofSeconds(1), Duration.ofSeconds(20))));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> graph.sendMail(bed.bob, MAIL))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageContaining("could not be reached");
        assertThat(bed.sleeper.delays()).containsExactly(ms(100), ms(200));
    }

    @Test
    void givenCallerInterruptedWhileGraphHangs_loadUserProfile_failsAtOnceAndKeepsTheInterrupt() throws Exception {
        bed.graph.script("/me", new Reply.Hang());
        GraphAdapter graph = bed.adapter(bed.config().withRequestTimeout(Duration.ofSeconds(30)));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                graph.loadUserProfile(bed.alice);
            } catch (RuntimeException e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (bed.graph.requestsTo("/me").isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }

        caller.interrupt();
        caller.join(Duration.ofSeconds(10).toMillis());

        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOfSatisfying(ToolFailureException.class, e -> assertThat(e.failure())
                .isEqualTo(new ToolFailure.DownstreamUnavailable("the call to Microsoft Graph was interrupted.")));
        assertThat(stillInterrupted).isTrue();
        assertThat(bed.graph.requestsTo("/me")).hasSize(1);
    }

    @Test
    void givenRetryAfterOfOneSecond_realSleeper_waitsAboutThatLongThenSucceeds() {
        GraphAdapter graph = new GraphAdapter(bed.config(), GraphTestbed.HTTP, bed.tokens);
        bed.graph.script("/me", Reply.throttled("1"));
        long start = System.nanoTime();

        UserProfile profile = graph.loadUserProfile(bed.alice);

        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(profile).isEqualTo(bed.aliceProfile);
        assertThat(elapsed).isBetween(Duration.ofMillis(1000), Duration.ofSeconds(5));
        assertThat(bed.graph.requestsTo("/me")).hasSize(2);
    }
}
