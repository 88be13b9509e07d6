package dev.entramcp.domain.contract;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.EmailAddress;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UserAssertion;
import dev.entramcp.domain.port.out.SendMailPort;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What every {@link SendMailPort} must do, whatever is behind it (the in-memory fake, Graph
 * through the Graph adapter, the emulator's outbox). Extend it once per implementation; JUnit
 * makes a new instance per test, so each test starts from a fresh port and an empty outbox.
 */
public abstract class SendMailPortContract {

    private static final String INBOUND_TOKEN = "inbound-token-for-this-server-only";

    /** The port under test, talking to the arranged backend. */
    protected abstract SendMailPort port();

    /** A user the backend lets send mail. */
    protected abstract CallerIdentity firstSender();

    /** Another user the backend lets send mail. */
    protected abstract CallerIdentity secondSender();

    /** The messages the backend received as sent by {@code caller}, oldest first. */
    protected abstract List<MailMessage> sentBy(CallerIdentity caller);

    /** The backend no longer accepts {@code caller}'s sign-in (expired or revoked). */
    protected abstract void arrangeSignInRejected(CallerIdentity caller);

    /** {@code caller} lacks the permission (consent) to send mail. */
    protected abstract void arrangePermissionMissing(CallerIdentity caller);

    /** Every call is throttled, for longer than the port is willing to wait. */
    protected abstract void arrangeThrottledBeyondRetries();

    /** The backend fails in a way that is not throttling (a server error, unreachable). */
    protected abstract void arrangeUnavailable();

    private static MailMessage aMail(String subject, String body, String... to) {
        return new MailMessage(java.util.Arrays.stream(to).map(EmailAddress::of).toList(), subject, body);
    }

    @Test
    void givenSender_sendMail_recordsTheMessageAsSentByThem() {
        CallerIdentity sender = firstSender();
        MailMessage mail = aMail("Hello", "Hi Carol", "carol@contoso.example");

        port().sendMail(sender, mail);

        assertThat(sentBy(sender)).containsExactly(mail);
    }

    @Test
    void givenSubjectAndBodyWithQuotesBackslashesAndLineBreaks_sendMail_deliversThemVerbatim() {
        CallerIdentity sender = firstSender();
        MailMessage mail = aMail("Re: \"quotes\", \\backslash\\ and {\"json\": true} – ünïcødé ✓",
                "Line one\nLine \"two\"\r\n\tTabbed \\n not a newline\", \"injected\": \"yes\n</script>\u0001 end",
                "carol@contoso.example");

        port().sendMail(sender, mail);

        assertThat(sentBy(sender)).containsExactly(mail);
    }

    @Test
    void givenSeveralRecipients_sendMail_keepsThemAllInOrder() {
        CallerIdentity sender = firstSender();
        MailMessage mail = aMail("Team", "Hi all", "carol@contoso.example", "dave@fabrikam.example", "erin@contoso.example");

        port().sendMail(sender, mail);

        assertThat(sentBy(sender)).singleElement().extracting(MailMessage::to)
                .isEqualTo(List.of(EmailAddress.of("carol@contoso.example"), EmailAddress.of("dave@fabrikam.example"),
                        EmailAddress.of("erin@contoso.example")));
    }

    @Test
    void givenTwoSenders_sendMail_keepsTheirMailApart() {
        CallerIdentity first = firstSender();
        CallerIdentity second = secondSender();
        MailMessage fromFirst = aMail("From the first", "1", "carol@contoso.example");
        MailMessage fromSecond = aMail("From the second", "2", "carol@contoso.example");
        SendMailPort port = port();

        port.sendMail(first, fromFirst);
        port.sendMail(second.withAssertion(UserAssertion.of(INBOUND_TOKEN)), fromSecond);

        assertThat(sentBy(first)).containsExactly(fromFirst);
        assertThat(sentBy(second)).containsExactly(fromSecond);
    }

    @Test
    void givenSignInRejected_sendMail_failsWithSignInRequiredAndSendsNothing() {
        CallerIdentity sender = firstSender();
        arrangeSignInRejected(sender);

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> port().sendMail(sender.withAssertion(UserAssertion.of(INBOUND_TOKEN)),
                        aMail("Hello", "Hi", "carol@contoso.example")))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class))
                .withMessageNotContaining(INBOUND_TOKEN);
        assertThat(sentBy(sender)).isEmpty();
    }

    @Test
    void givenPermissionMissing_sendMail_failsWithConsentRequiredAndSendsNothing() {
        CallerIdentity sender = firstSender();
        arrangePermissionMissing(sender);

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> port().sendMail(sender, aMail("Hello", "Hi", "carol@contoso.example")))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.ConsentRequired.class));
        assertThat(sentBy(sender)).isEmpty();
    }

    @Test
    void givenThrottledBeyondRetries_sendMail_failsWithThrottledAndSendsNothing() {
        CallerIdentity sender = firstSender();
        arrangeThrottledBeyondRetries();

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> port().sendMail(sender, aMail("Hello", "Hi", "carol@contoso.example")))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.Throttled.class))
                .withMessageContaining("Wait");
        assertThat(sentBy(sender)).isEmpty();
    }

    @Test
    void givenDownstreamUnavailable_sendMail_failsWithDownstreamUnavailableAndNeverSendsTwice() {
        CallerIdentity sender = firstSender();
        arrangeUnavailable();

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> port().sendMail(sender, aMail("Hello", "Hi", "carol@contoso.example")))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class));
        assertThat(sentBy(sender)).hasSizeLessThanOrEqualTo(1);
    }
}
