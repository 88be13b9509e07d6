package dev.entramcp.domain.tool;

import dev.entramcp.domain.model.AccessRequirement;
import dev.entramcp.domain.model.EmailAddress;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.model.ToolHints;
import dev.entramcp.domain.model.ToolInvocation;
import dev.entramcp.domain.model.ToolName;
import dev.entramcp.domain.model.ToolResult;
import dev.entramcp.domain.port.out.SendMailPort;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code send_mail}: the seed's example of a dangerous tool. Sends a plain-text mail as the
 * caller. It needs the delegated scope {@code Mail.Send} <em>and</em> the app role
 * {@code Mail.Sender}: a user who consented to the scope but was never assigned the role neither
 * sees nor calls it. Recipients, subject and body are validated here, whatever the client sent.
 */
public final class SendMailTool implements Tool {

    public static final String REQUIRED_SCOPE = "Mail.Send";
    public static final String REQUIRED_ROLE = "Mail.Sender";

    private static final ToolDescriptor DESCRIPTOR = new ToolDescriptor(
            ToolName.of("send_mail"),
            "Send a mail",
            "Sends a plain-text e-mail as you, through Microsoft Graph. Needs the Mail.Send "
                    + "permission and the Mail.Sender app role.",
            Map.of("type", "object",
                    "properties", Map.of(
                            "to", Map.of("type", "array",
                                    "description", "Recipient e-mail addresses",
                                    "items", Map.of("type", "string", "maxLength", 254),
                                    "minItems", 1, "maxItems", MailMessage.MAX_RECIPIENTS, "uniqueItems", true),
                            "subject", Map.of("type", "string", "description", "One-line subject",
                                    "minLength", 1, "maxLength", MailMessage.MAX_SUBJECT),
                            "body", Map.of("type", "string", "description", "Plain-text body",
                                    "maxLength", MailMessage.MAX_BODY)),
                    "required", List.of("to", "subject", "body"),
                    "additionalProperties", false),
            ToolHints.sideEffecting(false, true),
            AccessRequirement.signedInUser().withAllScopes(REQUIRED_SCOPE).withAllRoles(REQUIRED_ROLE));

    private final SendMailPort mail;

    public SendMailTool(SendMailPort mail) {
        this.mail = Objects.requireNonNull(mail, "'mail' must not be null");
    }

    @Override
    public ToolDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ToolResult call(ToolInvocation invocation) {
        MailMessage message = parse(ToolArguments.of(invocation.arguments(), Set.of("to", "subject", "body")));
        mail.sendMail(invocation.caller(), message);
        List<String> recipients = message.to().stream().map(EmailAddress::value).toList();
        return ToolResult.of("Mail \"" + message.subject() + "\" sent to " + String.join(", ", recipients) + ".",
                Map.of("sent", true, "to", recipients, "subject", message.subject()));
    }

    static MailMessage parse(ToolArguments arguments) {
        List<String> to = arguments.requiredStringList("to");
        String subject = arguments.requiredString("subject");
        String body = arguments.requiredString("body");
        return ToolArguments.validated(() -> new MailMessage(
                to.stream().map(EmailAddress::of).toList(), subject, body));
    }
}
