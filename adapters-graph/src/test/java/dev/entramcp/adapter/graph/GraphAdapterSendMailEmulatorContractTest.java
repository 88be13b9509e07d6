package dev.entramcp.adapter.graph;

import dev.entramcp.domain.contract.SendMailPortContract;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.EmailAddress;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.port.out.SendMailPort;
import dev.entramcp.emulator.EntraEmulator;
import dev.entramcp.emulator.GraphRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Graph adapter, against the Entra emulator's Graph over real TLS, honours the
 * {@link SendMailPortContract}: what was sent is read back from the emulator's outbox, which records
 * the sender from the token's {@code oid}. Tokens are minted by the emulator as Entra would issue them
 * to the local server ({@link EmulatorGraphTokens}); an arranged failure changes what the emulator
 * mints or answers.
 */
class GraphAdapterSendMailEmulatorContractTest extends SendMailPortContract {

    private static final String PREFIX = GraphConfig.MICROSOFT_GRAPH_SCOPE_PREFIX;
    private static EntraEmulator emulator;

    private final EmulatorGraphTokens tokens = new EmulatorGraphTokens(emulator);
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private GraphAdapter adapter;

    @BeforeAll
    static void start() {
        emulator = EntraEmulator.start();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void healthyGraphAndEmptyOutbox() {
        emulator.control().failGraph(0, 429, null);
        emulator.control().clearRecords();
    }

    @Override
    protected SendMailPort port() {
        if (adapter == null) {
            adapter = tokens.adapter(sleeper);
        }
        return adapter;
    }

    @Override
    protected CallerIdentity firstSender() {
        return EmulatorGraphTokens.caller(emulator, "bob", "Mail.Send");
    }

    @Override
    protected CallerIdentity secondSender() {
        return EmulatorGraphTokens.caller(emulator, "alice", "Mail.Send");
    }

    @Override
    protected List<MailMessage> sentBy(CallerIdentity caller) {
        return emulator.control().outbox().stream()
                .filter(mail -> mail.senderObjectId().equals(caller.principal().objectId()))
                .map(mail -> new MailMessage(mail.to().stream().map(EmailAddress::of).toList(), mail.subject(), mail.body()))
                .toList();
    }

    @Override
    protected void arrangeSignInRejected(CallerIdentity caller) {
        tokens.expire(caller);
    }

    @Override
    protected void arrangePermissionMissing(CallerIdentity caller) {
        tokens.grantOnly(caller, PREFIX + "User.Read");
    }

    @Override
    protected void arrangeThrottledBeyondRetries() {
        emulator.control().failGraph(50, 429, Duration.ofSeconds(2));
    }

    @Override
    protected void arrangeUnavailable() {
        emulator.control().failGraph(50, 500, null);
    }

    @Test
    void givenSender_sendMail_reachesGraphAsPlainTextFromTheLocalServer() {
        CallerIdentity bob = firstSender();

        port().sendMail(bob, new MailMessage(List.of(EmailAddress.of("carol@contoso.example")), "Hi", "<b>not bold</b>"));

        assertThat(emulator.control().outbox()).singleElement().satisfies(mail -> {
            assertThat(mail.contentType()).isEqualTo("Text");
            assertThat(mail.body()).isEqualTo("<b>not bold</b>");
            assertThat(mail.clientId()).isEqualTo(emulator.apps().local().clientId());
            assertThat(mail.senderUsername()).isEqualTo(emulator.user("bob").userPrincipalName());
        });
    }

    @Test
    void givenGraphThrottlingOnceThenRecovering_sendMail_waitsWhatRetryAfterSaysAndSendsOnce() {
        CallerIdentity bob = firstSender();
        MailMessage mail = new MailMessage(List.of(EmailAddress.of("carol@contoso.example")), "Hello", "Hi");
        emulator.control().failGraph(1, 429, Duration.ofSeconds(3));

        port().sendMail(bob, mail);

        assertThat(sentBy(bob)).containsExactly(mail);
        assertThat(sleeper.delays()).containsExactly(Duration.ofSeconds(3));
        assertThat(emulator.control().graphRequests()).extracting(GraphRequest::status).containsExactly(429, 202);
    }

    @Test
    void givenATokenForAnotherApi_sendMail_isRefusedByGraphAndSendsNothing() {
        CallerIdentity bob = firstSender();
        tokens.grantOnly(bob, emulator.apps().remote().appIdUri() + "/Mail.Send");

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> port().sendMail(bob, new MailMessage(List.of(EmailAddress.of("carol@contoso.example")), "Hi", "x")))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class));
        assertThat(emulator.control().outbox()).isEmpty();
        assertThat(emulator.control().graphRequests()).extracting(GraphRequest::status).containsExactly(401);
    }
}
