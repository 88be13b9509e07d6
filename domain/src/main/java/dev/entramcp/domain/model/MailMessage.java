package dev.entramcp.domain.model;

import java.util.HashSet;
import java.util.List;

/**
 * A plain-text mail to send as the signed-in user. Limits are the domain's, whatever the
 * transport allows: 1 to {@value #MAX_RECIPIENTS} distinct recipients, a one-line subject of at
 * most {@value #MAX_SUBJECT} characters, a body of at most {@value #MAX_BODY} characters.
 */
public record MailMessage(List<EmailAddress> to, String subject, String body) {

    public static final int MAX_RECIPIENTS = 10;
    public static final int MAX_SUBJECT = 255;
    public static final int MAX_BODY = 32_768;

    public MailMessage {
        to = Require.listOfNonNull(to, "to");
        if (to.isEmpty()) {
            throw new IllegalArgumentException("'to' must name at least one recipient");
        }
        if (to.size() > MAX_RECIPIENTS) {
            throw new IllegalArgumentException("'to' must name at most " + MAX_RECIPIENTS + " recipients");
        }
        if (new HashSet<>(to.stream().map(address -> address.value().toLowerCase(java.util.Locale.ROOT)).toList()).size() != to.size()) {
            throw new IllegalArgumentException("'to' must not repeat a recipient");
        }
        Require.maxLength(Require.notBlank(subject, "subject"), MAX_SUBJECT, "subject");
        if (subject.indexOf('\r') >= 0 || subject.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("'subject' must be a single line");
        }
        Require.maxLength(Require.notNull(body, "body"), MAX_BODY, "body");
    }
}
