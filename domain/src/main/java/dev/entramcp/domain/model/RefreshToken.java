package dev.entramcp.domain.model;

/** A refresh token. Masks itself in {@code toString}. */
public record RefreshToken(String value) implements Secret {

    public RefreshToken {
        Require.notBlank(value, "value");
    }

    public static RefreshToken of(String value) {
        return new RefreshToken(value);
    }

    @Override
    public String toString() {
        return Secret.masked(RefreshToken.class);
    }
}
