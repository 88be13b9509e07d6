package dev.entramcp.domain.port.out;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.MailMessage;

/**
 * Sends a mail as the signed-in caller (Microsoft Graph {@code POST /me/sendMail}).
 * Failures arrive as a {@link dev.entramcp.domain.model.ToolFailureException}.
 */
@FunctionalInterface
public interface SendMailPort {

    void sendMail(CallerIdentity caller, MailMessage message);
}
