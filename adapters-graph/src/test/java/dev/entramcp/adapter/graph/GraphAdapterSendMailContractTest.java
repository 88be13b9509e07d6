package dev.entramcp.adapter.graph;

import dev.entramcp.adapter.graph.FakeGraph.Reply;
import dev.entramcp.domain.contract.SendMailPortContract;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.port.out.SendMailPort;
import org.junit.jupiter.api.AfterEach;

import java.util.List;

/** The Graph adapter, against the loopback fake Graph's outbox, honours the {@link SendMailPortContract}. */
class GraphAdapterSendMailContractTest extends SendMailPortContract {

    private final GraphTestbed bed = new GraphTestbed();
    private GraphAdapter adapter;

    @AfterEach
    void stop() {
        bed.close();
    }

    @Override
    protected SendMailPort port() {
        if (adapter == null) {
            adapter = bed.adapter();
        }
        return adapter;
    }

    @Override
    protected CallerIdentity firstSender() {
        return bed.bob;
    }

    @Override
    protected CallerIdentity secondSender() {
        return bed.alice;
    }

    @Override
    protected List<MailMessage> sentBy(CallerIdentity caller) {
        return bed.graph.outboxOf(caller.principal());
    }

    @Override
    protected void arrangeSignInRejected(CallerIdentity caller) {
        bed.graph.revoke(caller.principal());
    }

    @Override
    protected void arrangePermissionMissing(CallerIdentity caller) {
        bed.tokens.withhold(caller.principal(), GraphAdapter.MAIL_SEND);
    }

    @Override
    protected void arrangeThrottledBeyondRetries() {
        bed.graph.scriptAlways("/me/sendMail", Reply.throttled("1"));
    }

    @Override
    protected void arrangeUnavailable() {
        bed.graph.scriptAlways("/me/sendMail", Reply.error(500, "generalException"));
    }
}
