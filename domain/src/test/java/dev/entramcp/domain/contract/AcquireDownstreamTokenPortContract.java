package dev.entramcp.domain.contract;

import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UserAssertion;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What every {@link AcquireDownstreamTokenPort} promises, run against the fake and against each real
 * adapter (public client, On-Behalf-Of, stored upstream tokens), each aimed at loopback servers.
 *
 * <ul>
 *   <li>for a caller it can serve, it returns a token that is valid now, and never the caller's
 *       own inbound token (no passthrough);</li>
 *   <li>for a caller who has not signed in (or whose sign-in is gone), it fails with
 *       {@link ToolFailure.SignInRequired}, whose message carries no token.</li>
 * </ul>
 */
public abstract class AcquireDownstreamTokenPortContract {

    /** The adapter under test, ready to serve {@link #aCallerItCanServe()}. */
    protected abstract AcquireDownstreamTokenPort adapter();

    /** A caller the adapter can get a token for (signed in, or carrying an inbound token). */
    protected abstract CallerIdentity aCallerItCanServe();

    /** A caller the adapter has no sign-in for. */
    protected abstract CallerIdentity aCallerWithoutSignIn();

    /** The downstream scopes to ask for. */
    protected Set<String> scopes() {
        return Set.of("User.Read");
    }

    @Test
    void givenACallerItCanServe_acquireToken_returnsATokenValidNow() {
        AccessToken token = adapter().acquireToken(aCallerItCanServe(), scopes());

        assertThat(token.value()).isNotBlank();
        assertThat(token.isExpiredAt(Instant.now())).isFalse();
    }

    @Test
    void givenACallerWithAnInboundToken_acquireToken_neverReturnsThatToken() {
        CallerIdentity caller = aCallerItCanServe();

        AccessToken token = adapter().acquireToken(caller, scopes());

        assertThat(caller.assertion().map(UserAssertion::value).filter(token.value()::equals)).isEmpty();
    }

    @Test
    void givenACallerWithoutSignIn_acquireToken_failsWithSignInRequired() {
        CallerIdentity caller = aCallerWithoutSignIn();

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> adapter().acquireToken(caller, scopes()))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class))
                .satisfies(e -> caller.assertion().ifPresent(a -> assertThat(e.getMessage()).doesNotContain(a.value())));
    }
}
