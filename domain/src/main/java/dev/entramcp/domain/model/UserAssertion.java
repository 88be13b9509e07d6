package dev.entramcp.domain.model;

/**
 * The caller's own inbound access token, kept only so that the server can present it as the
 * assertion of an On-Behalf-Of exchange. It is never sent to a downstream API: the token port
 * trades it for a token of the downstream's own audience. Masks itself in {@code toString}.
 */
public record UserAssertion(String value) implements Secret {

    public UserAssertion {
        Require.notBlank(value, "value");
    }

    public static UserAssertion of(String value) {
        return new UserAssertion(value);
    }

    @Override
    public String toString() {
        return Secret.masked(UserAssertion.class);
    }
}
