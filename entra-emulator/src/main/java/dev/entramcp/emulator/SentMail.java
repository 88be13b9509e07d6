package dev.entramcp.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message accepted by Graph's {@code POST /me/sendMail}. It goes nowhere: it lands in the emulator's outbox,
 * where a test can read who sent it, through which app, and what it said.
 *
 * @param senderObjectId the signed-in user's {@code oid} from the access token
 * @param senderUsername the user's sign-in name ({@code preferred_username})
 * @param clientId       the app that called Graph ({@code azp} of the token), e.g. the remote server after OBO
 * @param to             the {@code toRecipients} addresses
 * @param cc             the {@code ccRecipients} addresses
 * @param subject        the subject, possibly empty
 * @param contentType    {@code Text} or {@code HTML}
 * @param body           the body content, possibly empty
 * @param sentAt         when Graph accepted it (emulator clock)
 */
public record SentMail(String senderObjectId, String senderUsername, String clientId, List<String> to,
                       List<String> cc, String subject, String contentType, String body, Instant sentAt) {

    public SentMail {
        Objects.requireNonNull(senderObjectId, "'senderObjectId' must not be null");
        Objects.requireNonNull(senderUsername, "'senderUsername' must not be null");
        Objects.requireNonNull(clientId, "'clientId' must not be null");
        to = List.copyOf(Objects.requireNonNull(to, "'to' must not be null"));
        cc = List.copyOf(Objects.requireNonNull(cc, "'cc' must not be null"));
        Objects.requireNonNull(subject, "'subject' must not be null");
        Objects.requireNonNull(contentType, "'contentType' must not be null");
        Objects.requireNonNull(body, "'body' must not be null");
        Objects.requireNonNull(sentAt, "'sentAt' must not be null");
    }
}
