package dev.entramcp.domain.model;

import java.util.regex.Pattern;

/**
 * A mailbox address, checked for shape only: one {@code @}, a dotted domain, no spaces, no angle
 * brackets and no line breaks (which would allow header injection). Deliverability is the mail
 * system's business.
 */
public record EmailAddress(String value) {

    private static final Pattern SHAPE =
            Pattern.compile("[^@\\s<>\",;]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

    public EmailAddress {
        Require.maxLength(Require.notBlank(value, "value"), 254, "value");
        Require.matches(value, SHAPE, "value", "an e-mail address such as someone@example.com");
    }

    public static EmailAddress of(String value) {
        return new EmailAddress(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
