package dev.entramcp.adapter.http.transport;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.PrincipalId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PrincipalRateLimiterTest {

    private static final PrincipalId ALICE = PrincipalId.of(Callers.TENANT, Callers.ALICE_OID);
    private static final PrincipalId BOB = PrincipalId.of(Callers.TENANT, Callers.BOB_OID);

    private final AtomicLong nanos = new AtomicLong();

    @Test
    void givenAFullBucket_tryAcquire_allowsTheBurstThenSaysHowLongToWait() {
        PrincipalRateLimiter limiter = new PrincipalRateLimiter(2, 3, 100, nanos::get);

        assertThat(limiter.tryAcquire(ALICE)).isEmpty();
        assertThat(limiter.tryAcquire(ALICE)).isEmpty();
        assertThat(limiter.tryAcquire(ALICE)).isEmpty();

        assertThat(limiter.tryAcquire(ALICE)).hasValue(Duration.ofMillis(500));
    }

    @Test
    void givenTimePasses_tryAcquire_refillsAtTheConfiguredRateUpToTheBurst() {
        PrincipalRateLimiter limiter = new PrincipalRateLimiter(2, 3, 100, nanos::get);
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire(ALICE);
        }

        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(limiter.tryAcquire(ALICE)).isEmpty();
        assertThat(limiter.tryAcquire(ALICE)).isPresent();

        nanos.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire(ALICE)).isEmpty();
        }
        assertThat(limiter.tryAcquire(ALICE)).isPresent();
    }

    @Test
    void givenTwoPrincipals_tryAcquire_keepsSeparateBuckets() {
        PrincipalRateLimiter limiter = new PrincipalRateLimiter(1, 1, 100, nanos::get);

        assertThat(limiter.tryAcquire(ALICE)).isEmpty();
        assertThat(limiter.tryAcquire(ALICE)).isPresent();

        assertThat(limiter.tryAcquire(BOB)).isEmpty();
    }

    @Test
    void givenMorePrincipalsThanTheBound_tryAcquire_keepsMemoryBounded() {
        PrincipalRateLimiter limiter = new PrincipalRateLimiter(1, 1, 10, nanos::get);

        for (int i = 0; i < 1000; i++) {
            limiter.tryAcquire(PrincipalId.of(Callers.TENANT, String.format("00000000-0000-0000-0000-%012d", i)));
        }

        assertThat(limiter.trackedPrincipals()).isEqualTo(10);
    }

    @Test
    void givenNonsenseSettings_constructor_refusesThem() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new PrincipalRateLimiter(0, 1, 1, nanos::get))
                .withMessage("'requestsPerSecond' must be positive");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new PrincipalRateLimiter(1, 0, 1, nanos::get))
                .withMessage("'burst' must be at least 1");
    }
}
