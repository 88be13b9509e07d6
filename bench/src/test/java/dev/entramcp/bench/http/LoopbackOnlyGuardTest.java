package dev.entramcp.bench.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The refusals of the benchmark's unauthenticated mode, one by one. */
class LoopbackOnlyGuardTest {

    @Test
    void givenNoHost_theMode_refusesBecauseTheServerWouldListenEverywhere() {
        assertThat(LoopbackOnlyGuard.refusal(null, false, false))
                .hasValueSatisfying(reason -> assertThat(reason).contains("would listen on every interface"));
    }

    @Test
    void givenTheWildcardOrAPublicAddress_theMode_refusesNamingTheAddress() {
        assertThat(LoopbackOnlyGuard.refusal("0.0.0.0", false, false))
                .hasValueSatisfying(reason -> assertThat(reason).contains("'0.0.0.0' is not a loopback address"));
        assertThat(LoopbackOnlyGuard.refusal("192.0.2.10", false, false))
                .hasValueSatisfying(reason -> assertThat(reason).contains("192.0.2.10"));
        assertThat(LoopbackOnlyGuard.refusal("::", false, false)).isPresent();
    }

    @Test
    void givenAHostThatDoesNotResolve_theMode_refuses() {
        assertThat(LoopbackOnlyGuard.refusal("no-such-host.invalid", false, false))
                .hasValueSatisfying(reason -> assertThat(reason).contains("does not resolve"));
    }

    @Test
    void givenLoopbackNames_theMode_starts() {
        assertThat(LoopbackOnlyGuard.refusal("localhost", false, false)).isEmpty();
        assertThat(LoopbackOnlyGuard.refusal("127.0.0.1", false, false)).isEmpty();
        assertThat(LoopbackOnlyGuard.refusal("[::1]", false, false)).isEmpty();
    }

    @Test
    void givenExtraNettyListeners_theMode_refuses() {
        assertThat(LoopbackOnlyGuard.refusal("localhost", true, false))
                .hasValueSatisfying(reason -> assertThat(reason).contains("micronaut.server.netty.listeners"));
    }

    @Test
    void givenMicronautSecuritysFilterStillOn_theMode_refusesToRunHalfOn() {
        assertThat(LoopbackOnlyGuard.refusal("localhost", false, true))
                .hasValueSatisfying(reason -> assertThat(reason).contains("micronaut.security.filter.enabled=false"));
    }
}
