package dev.entramcp.domain.contract;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.fixtures.InMemoryGroupMemberships;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.DirectoryGroup;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.port.out.ListMyGroupsPort;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The in-memory memberships fake honours the {@link ListMyGroupsPortContract}. */
class InMemoryGroupMembershipsContractTest extends ListMyGroupsPortContract {

    private static final DirectoryGroup ALL_STAFF = DirectoryGroup.of("g-0001", "All Staff", "Everyone");
    private static final DirectoryGroup ENGINEERING = DirectoryGroup.of("g-0002", "Engineering", null);
    private static final DirectoryGroup SALES = DirectoryGroup.of("g-0003", "Sales", "Sells things");

    private final KnownMember alice = new KnownMember(Callers.alice(), List.of(ALL_STAFF, ENGINEERING));
    private final KnownMember bob = new KnownMember(Callers.bob(), List.of(SALES));
    private final InMemoryGroupMemberships memberships = new InMemoryGroupMemberships()
            .with(alice.caller(), ALL_STAFF, ENGINEERING).with(bob.caller(), SALES);

    @Override
    protected ListMyGroupsPort port() {
        return memberships;
    }

    @Override
    protected KnownMember firstUser() {
        return alice;
    }

    @Override
    protected KnownMember secondUser() {
        return bob;
    }

    @Override
    protected void arrangeSignInRejected(CallerIdentity caller) {
        memberships.failFor(caller, new ToolFailure.SignInRequired("your session expired; sign in again."));
    }

    @Override
    protected void arrangePermissionMissing(CallerIdentity caller) {
        memberships.failFor(caller, new ToolFailure.ConsentRequired("GroupMember.Read.All was not granted.", Optional.empty()));
    }

    @Override
    protected void arrangeThrottledBeyondRetries() {
        memberships.failAll(new ToolFailure.Throttled(Duration.ofSeconds(30)));
    }

    @Override
    protected void arrangeUnavailable() {
        memberships.failAll(new ToolFailure.DownstreamUnavailable("the directory is down."));
    }
}
