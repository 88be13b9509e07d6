package dev.entramcp.domain.contract;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UserAssertion;
import dev.entramcp.domain.model.UserProfile;
import dev.entramcp.domain.port.out.LoadUserProfilePort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What every {@link LoadUserProfilePort} must do, whatever is behind it (the in-memory fake,
 * Graph through the Graph adapter, the emulator). Extend it once per implementation; JUnit makes
 * a new instance per test, so each test starts from a fresh port and backend.
 *
 * <p>The failure tests arrange the failure <em>before</em> the first load for that user, so an
 * implementation that caches profiles is judged fairly.
 */
public abstract class LoadUserProfilePortContract {

    /** A user the backend knows, and the profile it must return for them. */
    public record KnownUser(CallerIdentity caller, UserProfile profile) {
    }

    private static final String INBOUND_TOKEN = "inbound-token-for-this-server-only";

    /** The port under test, talking to the arranged backend. */
    protected abstract LoadUserProfilePort port();

    protected abstract KnownUser firstUser();

    /** Another known user, in the same tenant as the first or not. */
    protected abstract KnownUser secondUser();

    /** The backend no longer accepts {@code caller}'s sign-in (expired or revoked). */
    protected abstract void arrangeSignInRejected(CallerIdentity caller);

    /** {@code caller} lacks the permission (consent) to read their profile. */
    protected abstract void arrangePermissionMissing(CallerIdentity caller);

    /** Every call is throttled, for longer than the port is willing to wait. */
    protected abstract void arrangeThrottledBeyondRetries();

    /** The backend fails in a way that is not throttling (a server error, unreachable). */
    protected abstract void arrangeUnavailable();

    @Test
    void givenKnownUser_loadUserProfile_returnsTheirProfile() {
        KnownUser user = firstUser();

        UserProfile profile = port().loadUserProfile(user.caller());

        assertThat(profile).isEqualTo(user.profile());
    }

    @Test
    void givenTwoUsers_loadUserProfile_returnsEachTheirOwn() {
        KnownUser first = firstUser();
        KnownUser second = secondUser();
        LoadUserProfilePort port = port();

        UserProfile firstProfile = port.loadUserProfile(first.caller());
        UserProfile secondProfile = port.loadUserProfile(second.caller());
        UserProfile firstAgain = port.loadUserProfile(first.caller());

        assertThat(firstProfile).isEqualTo(first.profile()).isEqualTo(firstAgain);
        assertThat(secondProfile).isEqualTo(second.profile()).isNotEqualTo(first.profile());
    }

    @Test
    void givenCallerCarryingTheirInboundToken_loadUserProfile_returnsTheSameProfile() {
        KnownUser user = firstUser();

        UserProfile profile = port().loadUserProfile(user.caller().withAssertion(UserAssertion.of(INBOUND_TOKEN)));

        assertThat(profile).isEqualTo(user.profile());
    }

    @Test
    void givenSignInRejected_loadUserProfile_failsWithSignInRequired() {
        CallerIdentity caller = firstUser().caller();
        arrangeSignInRejected(caller);

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> port().loadUserProfile(caller.withAssertion(UserAssertion.of(INBOUND_TOKEN))))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class))
                .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("sign in").doesNotContain(INBOUND_TOKEN));
    }

    @Test
    void givenPermissionMissing_loadUserProfile_failsWithConsentRequired() {
        CallerIdentity caller = firstUser().caller();
        arrangePermissionMissing(caller);

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> port().loadUserProfile(caller))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.ConsentRequired.class));
    }

    @Test
    void givenThrottledBeyondRetries_loadUserProfile_failsWithThrottledSayingHowLongToWait() {
        CallerIdentity caller = firstUser().caller();
        arrangeThrottledBeyondRetries();

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> port().loadUserProfile(caller))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.Throttled.class))
                .withMessageContaining("Wait");
    }

    @Test
    void givenDownstreamUnavailable_loadUserProfile_failsWithDownstreamUnavailable() {
        CallerIdentity caller = firstUser().caller();
        arrangeUnavailable();

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> port().loadUserProfile(caller.withAssertion(UserAssertion.of(INBOUND_TOKEN))))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageNotContaining(INBOUND_TOKEN);
    }
}
