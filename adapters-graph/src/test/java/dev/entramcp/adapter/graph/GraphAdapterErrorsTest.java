package dev.entramcp.adapter.graph;

import dev.entramcp.adapter.graph.FakeGraph.Reply;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.EmailAddress;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UserAssertion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Graph's answers as domain failures: what the person is told, and what is never said. */
class GraphAdapterErrorsTest {

    private static final MailMessage MAIL = new MailMessage(List.of(EmailAddress.of("carol@contoso.example")), "Hello", "Hi");
    private static final String INBOUND_TOKEN = "eyJhbGciOiJSUzI1NiJ9.inbound-for-the-mcp-server.sig";

    private final GraphTestbed bed = new GraphTestbed();

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void givenRevokedSignIn_loadUserProfile_failsWithSignInRequiredNamingGraphsCode() {
        bed.graph.revoke(bed.alice.principal());

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class))
                .withMessageContaining("Sign in again")
                .withMessageContaining("InvalidAuthenticationToken")
                .withMessageContaining("request-id 00000000-0000-0000-0000-000000000001")
                .withMessageNotContaining(FakeGraph.BODY_MARKER)
                .withMessageNotContaining(bed.tokens.issued().get(0));
        assertThat(bed.graph.requestsTo("/me")).hasSize(1);
    }

    @Test
    void givenUserReadNotConsented_loadUserProfile_failsWithConsentRequiredNamingCodeAndPermission() {
        bed.tokens.withhold(bed.alice.principal(), "User.Read");

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.ConsentRequired.class))
                .withMessageContaining("Authorization_RequestDenied")
                .withMessageContaining("User.Read")
                .withMessageContaining("administrator")
                .withMessageNotContaining(FakeGraph.BODY_MARKER);
        assertThat(bed.graph.requestsTo("/me")).hasSize(1);
    }

    @Test
    void givenMailSendNotConsented_sendMail_failsWithConsentRequiredAndSendsNothing() {
        bed.tokens.withhold(bed.bob.principal(), "Mail.Send");

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().sendMail(bed.bob, MAIL))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.ConsentRequired.class))
                .withMessageContaining("ErrorAccessDenied")
                .withMessageContaining("Mail.Send");
        assertThat(bed.graph.outboxOf(bed.bob.principal())).isEmpty();
    }

    @Test
    void given400OnSendMail_sendMail_failsWithInvalidArgumentsNamingGraphsCode() {
        bed.graph.script("/me/sendMail", Reply.error(400, "ErrorInvalidRecipients"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().sendMail(bed.bob, MAIL))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.InvalidArguments.class))
                .withMessageContaining("HTTP 400, ErrorInvalidRecipients")
                .withMessageNotContaining(FakeGraph.BODY_MARKER);
    }

    @Test
    void given400OnMe_loadUserProfile_failsAsUnavailableBecauseTheCallerSentNoArguments() {
        bed.graph.script("/me", Reply.error(400, "BadRequest"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageContaining("HTTP 400, BadRequest");
        assertThat(bed.graph.requestsTo("/me")).hasSize(1);
    }

    @Test
    void given404_sendMail_failsAsUnavailableNamingGraphsCode() {
        bed.graph.script("/me/sendMail", Reply.error(404, "MailboxNotEnabledForRESTAPI"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().sendMail(bed.bob, MAIL))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageContaining("HTTP 404, MailboxNotEnabledForRESTAPI");
    }

    @Test
    void givenServerErrorsOnEveryAttempt_loadUserProfile_failsAsUnavailableAfterTheRetries() {
        bed.graph.scriptAlways("/me", Reply.error(500, "generalException"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageContaining("HTTP 500, generalException")
                .withMessageNotContaining(FakeGraph.BODY_MARKER);
        assertThat(bed.graph.requestsTo("/me")).hasSize(4);
    }

    @Test
    void given501_loadUserProfile_failsWithoutRetrying() {
        bed.graph.script("/me", Reply.error(501, "notImplemented"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class));
        assertThat(bed.graph.requestsTo("/me")).hasSize(1);
    }

    @Test
    void givenErrorWithoutGraphsShape_loadUserProfile_saysThereIsNoErrorCodeAndNothingOfTheBody() {
        bed.graph.script("/me", Reply.raw(418, "<h1>" + FakeGraph.BODY_MARKER + "</h1>"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().loadUserProfile(bed.alice))
                .withMessageContaining("HTTP 418, no error code")
                .withMessageNotContaining(FakeGraph.BODY_MARKER);
    }

    @Test
    void givenErrorCodeThatIsNotAnIdentifier_loadUserProfile_doesNotRepeatIt() {
        bed.graph.script("/me", Reply.raw(403, "{\"error\":{\"code\":\"<script>" + FakeGraph.BODY_MARKER + "\"}}"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.ConsentRequired.class))
                .withMessageContaining("no error code")
                .withMessageNotContaining(FakeGraph.BODY_MARKER);
    }

    @Test
    void givenTokenPortRequiresSignIn_loadUserProfile_passesThatFailureOnAndNeverCallsGraph() {
        ToolFailure.SignInRequired needed = new ToolFailure.SignInRequired("go to https://microsoft.com/devicelogin, code ABC");
        GraphAdapter graph = new GraphAdapter(bed.config(), GraphTestbed.HTTP, (caller, scopes) -> {
            throw new ToolFailureException(needed);
        }, bed.clock, bed.sleeper, bed.jitter);

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> graph.loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isSameAs(needed));
        assertThat(bed.graph.requests()).isEmpty();
    }

    @Test
    void givenTokenPortReturnsAMalformedToken_sendMail_refusesToSendItAndDoesNotRepeatIt() {
        String malformed = "abc\r\nX-Injected: yes";
        GraphAdapter graph = new GraphAdapter(bed.config(), GraphTestbed.HTTP,
                (caller, scopes) -> AccessToken.of(malformed, Instant.now().plusSeconds(60)), bed.clock, bed.sleeper, bed.jitter);

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> graph.sendMail(bed.bob, MAIL))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageContaining("malformed")
                .withMessageNotContaining("X-Injected");
        assertThat(bed.graph.requests()).isEmpty();
    }

    @Test
    void givenRetriesAndFailures_everyLogLine_namesTheCallButNeverATokenNorABody() {
        Logger julLogger = Logger.getLogger(GraphAdapter.class.getName());
        CapturingHandler captured = new CapturingHandler();
        Level previous = julLogger.getLevel();
        julLogger.setLevel(Level.ALL);
        julLogger.addHandler(captured);
        try {
            GraphAdapter graph = bed.adapter();
            bed.graph.script("/me", Reply.throttled("1"), Reply.error(500, "generalException"));
            graph.loadUserProfile(bed.alice.withAssertion(UserAssertion.of(INBOUND_TOKEN)));
            bed.graph.script("/me/sendMail", Reply.throttled(null), new Reply.ProcessThenAnswer(500));
            assertThatExceptionOfType(ToolFailureException.class).isThrownBy(() -> graph.sendMail(bed.bob, MAIL));
            bed.graph.revoke(bed.bob.principal());
            assertThatExceptionOfType(ToolFailureException.class).isThrownBy(() -> graph.sendMail(bed.bob, MAIL));
        } finally {
            julLogger.removeHandler(captured);
            julLogger.setLevel(previous);
        }

        assertThat(captured.lines).hasSizeGreaterThanOrEqualTo(5)
                .anySatisfy(line -> assertThat(line).contains("GET /me").contains("retrying in 1000 ms"))
                .anySatisfy(line -> assertThat(line).contains("POST /me/sendMail"));
        assertThat(bed.tokens.issued()).hasSizeGreaterThanOrEqualTo(5);
        for (String line : captured.lines) {
            assertThat(line).doesNotContain(INBOUND_TOKEN).doesNotContain(FakeGraph.BODY_MARKER).doesNotContain("Bearer");
            for (String token : bed.tokens.issued()) {
                assertThat(line).doesNotContain(token);
            }
        }
    }

    private static final class CapturingHandler extends Handler {
        private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            lines.add(formatter.formatMessage(record) + Optional.ofNullable(record.getThrown()).map(t -> " " + t).orElse(""));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
