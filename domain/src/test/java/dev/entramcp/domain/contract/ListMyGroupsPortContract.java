package dev.entramcp.domain.contract;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.DirectoryGroup;
import dev.entramcp.domain.model.GroupPage;
import dev.entramcp.domain.model.GroupQuery;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UserAssertion;
import dev.entramcp.domain.port.out.ListMyGroupsPort;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

// snippet:list-my-groups-contract
/**
 * What every {@link ListMyGroupsPort} must do, whatever is behind it (the in-memory fake, the
 * Graph adapter against a fake Graph, the Graph adapter against the emulator). Extend it once per
 * implementation; JUnit makes a new instance per test, so each test starts from a fresh port.
 *
 * <p>The first user must be a member of at least two groups, so that paging can be judged.
 */
public abstract class ListMyGroupsPortContract {

    /** A user the backend knows, and the groups it must list for them (in any order). */
    public record KnownMember(CallerIdentity caller, List<DirectoryGroup> groups) {
    }

    /** The port under test, talking to the arranged backend. */
    protected abstract ListMyGroupsPort port();

    /** A member of at least two groups. */
    protected abstract KnownMember firstUser();

    /** Another known user, with other groups than the first. */
    protected abstract KnownMember secondUser();

    /** The backend no longer accepts {@code caller}'s sign-in (expired or revoked). */
    protected abstract void arrangeSignInRejected(CallerIdentity caller);

    /** {@code caller} lacks the permission (consent) to read group memberships. */
    protected abstract void arrangePermissionMissing(CallerIdentity caller);

    /** Every call is throttled, for longer than the port is willing to wait. */
    protected abstract void arrangeThrottledBeyondRetries();

    /** The backend fails in a way that is not throttling (a server error, unreachable). */
    protected abstract void arrangeUnavailable();
    // end-snippet

    private static final String INBOUND_TOKEN = "inbound-token-for-this-server-only";
    private static final GroupQuery ALL = new GroupQuery(GroupQuery.MAX_TOP);

    @Test
    void givenKnownMember_listMyGroups_returnsAllTheirGroupsAndNoMore() {
        KnownMember member = firstUser();

        GroupPage page = port().listMyGroups(member.caller(), ALL);

        assertThat(page.groups()).containsExactlyInAnyOrderElementsOf(member.groups());
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void givenTwoMembers_listMyGroups_returnsEachTheirOwn() {
        KnownMember first = firstUser();
        KnownMember second = secondUser();
        ListMyGroupsPort port = port();

        GroupPage firstPage = port.listMyGroups(first.caller(), ALL);
        GroupPage secondPage = port.listMyGroups(second.caller(), ALL);

        assertThat(firstPage.groups()).containsExactlyInAnyOrderElementsOf(first.groups());
        assertThat(secondPage.groups()).containsExactlyInAnyOrderElementsOf(second.groups());
    }

    @Test
    void givenTopOfOne_listMyGroups_readsOnePageAndSaysThereIsMore() {
        KnownMember member = firstUser();

        GroupPage page = port().listMyGroups(member.caller(), new GroupQuery(1));

        assertThat(page.groups()).hasSizeLessThanOrEqualTo(1);
        assertThat(member.groups()).containsAll(page.groups());
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void givenCallerCarryingTheirInboundToken_listMyGroups_returnsTheSameGroups() {
        KnownMember member = firstUser();

        GroupPage page = port().listMyGroups(member.caller().withAssertion(UserAssertion.of(INBOUND_TOKEN)), ALL);

        assertThat(page.groups()).containsExactlyInAnyOrderElementsOf(member.groups());
    }

    @Test
    void givenSignInRejected_listMyGroups_failsWithSignInRequired() {
        CallerIdentity caller = firstUser().caller();
        arrangeSignInRejected(caller);

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> port().listMyGroups(caller.withAssertion(UserAssertion.of(INBOUND_TOKEN)), ALL))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class))
                .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("sign in").doesNotContain(INBOUND_TOKEN));
    }

    @Test
    void givenPermissionMissing_listMyGroups_failsWithConsentRequired() {
        CallerIdentity caller = firstUser().caller();
        arrangePermissionMissing(caller);

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> port().listMyGroups(caller, ALL))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.ConsentRequired.class));
    }

    @Test
    void givenThrottledBeyondRetries_listMyGroups_failsWithThrottledSayingHowLongToWait() {
        CallerIdentity caller = firstUser().caller();
        arrangeThrottledBeyondRetries();

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> port().listMyGroups(caller, ALL))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.Throttled.class))
                .withMessageContaining("Wait");
    }

    @Test
    void givenDownstreamUnavailable_listMyGroups_failsWithDownstreamUnavailable() {
        CallerIdentity caller = firstUser().caller();
        arrangeUnavailable();

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> port().listMyGroups(caller.withAssertion(UserAssertion.of(INBOUND_TOKEN)), ALL))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageNotContaining(INBOUND_TOKEN);
    }
}
