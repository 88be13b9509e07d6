package dev.entramcp.adapter.graph;

import dev.entramcp.adapter.graph.FakeGraph.Reply;
import dev.entramcp.domain.contract.ListMyGroupsPortContract;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.port.out.ListMyGroupsPort;
import org.junit.jupiter.api.AfterEach;

// snippet:graph-list-groups-contract-test
/** The Graph adapter, against the loopback fake Graph, honours the {@link ListMyGroupsPortContract}. */
class GraphAdapterListMyGroupsContractTest extends ListMyGroupsPortContract {

    private final GraphTestbed bed = new GraphTestbed();

    @AfterEach
    void stop() {
        bed.close();
    }

    @Override
    protected ListMyGroupsPort port() {
        return bed.adapter();
    }

    @Override
    protected KnownMember firstUser() {
        return new KnownMember(bed.alice, bed.aliceGroups);
    }

    @Override
    protected KnownMember secondUser() {
        return new KnownMember(bed.bob, bed.bobGroups);
    }

    @Override
    protected void arrangeSignInRejected(CallerIdentity caller) {
        bed.graph.revoke(caller.principal());
    }

    @Override
    protected void arrangePermissionMissing(CallerIdentity caller) {
        bed.tokens.withhold(caller.principal(), GraphAdapter.GROUP_MEMBER_READ_ALL);
    }

    @Override
    protected void arrangeThrottledBeyondRetries() {
        bed.graph.scriptAlways("/me/memberOf", Reply.throttled("1"));
    }

    @Override
    protected void arrangeUnavailable() {
        bed.graph.scriptAlways("/me/memberOf", Reply.error(500, "generalException"));
    }
}
// end-snippet
