package dev.entramcp.adapter.graph;

import dev.entramcp.adapter.graph.FakeGraph.Reply;
import dev.entramcp.domain.contract.LoadUserProfilePortContract;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.port.out.LoadUserProfilePort;
import org.junit.jupiter.api.AfterEach;

/** The Graph adapter, against the loopback fake Graph, honours the {@link LoadUserProfilePortContract}. */
class GraphAdapterLoadUserProfileContractTest extends LoadUserProfilePortContract {

    private final GraphTestbed bed = new GraphTestbed();
    private GraphAdapter adapter;

    @AfterEach
    void stop() {
        bed.close();
    }

    @Override
    protected LoadUserProfilePort port() {
        if (adapter == null) {
            adapter = bed.adapter();
        }
        return adapter;
    }

    @Override
    protected KnownUser firstUser() {
        return new KnownUser(bed.alice, bed.aliceProfile);
    }

    @Override
    protected KnownUser secondUser() {
        return new KnownUser(bed.bob, bed.bobProfile);
    }

    @Override
    protected void arrangeSignInRejected(CallerIdentity caller) {
        bed.graph.revoke(caller.principal());
    }

    @Override
    protected void arrangePermissionMissing(CallerIdentity caller) {
        bed.tokens.withhold(caller.principal(), GraphAdapter.USER_READ);
    }

    @Override
    protected void arrangeThrottledBeyondRetries() {
        bed.graph.scriptAlways("/me", Reply.throttled("1"));
    }

    @Override
    protected void arrangeUnavailable() {
        bed.graph.scriptAlways("/me", Reply.error(500, "generalException"));
    }
}
