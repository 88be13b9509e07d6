package dev.entramcp.domain.contract;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.fixtures.InMemoryOutbox;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.port.out.SendMailPort;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The in-memory outbox fake honours the {@link SendMailPortContract}. */
class InMemoryOutboxContractTest extends SendMailPortContract {

    private final InMemoryOutbox outbox = new InMemoryOutbox();

    @Override
    protected SendMailPort port() {
        return outbox;
    }

    @Override
    protected CallerIdentity firstSender() {
        return Callers.bob();
    }

    @Override
    protected CallerIdentity secondSender() {
        return Callers.alice();
    }

    @Override
    protected List<MailMessage> sentBy(CallerIdentity caller) {
        return outbox.sentBy(caller);
    }

    @Override
    protected void arrangeSignInRejected(CallerIdentity caller) {
        outbox.failFor(caller, new ToolFailure.SignInRequired("your session expired; sign in again."));
    }

    @Override
    protected void arrangePermissionMissing(CallerIdentity caller) {
        outbox.failFor(caller, new ToolFailure.ConsentRequired("Mail.Send was not granted.", Optional.empty()));
    }

    @Override
    protected void arrangeThrottledBeyondRetries() {
        outbox.failAll(new ToolFailure.Throttled(Duration.ofSeconds(30)));
    }

    @Override
    protected void arrangeUnavailable() {
        outbox.failAll(new ToolFailure.DownstreamUnavailable("the mail service is down."));
    }
}
