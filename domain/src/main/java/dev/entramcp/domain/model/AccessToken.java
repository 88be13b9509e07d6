package dev.entramcp.domain.model;

import java.time.Instant;

/** A bearer access token for a downstream API, with its expiry. Masks itself in {@code toString}. */
public record AccessToken(String value, Instant expiresAt) implements Secret {

    public AccessToken {
        Require.notBlank(value, "value");
        Require.notNull(expiresAt, "expiresAt");
    }

    public static AccessToken of(String value, Instant expiresAt) {
        return new AccessToken(value, expiresAt);
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return Secret.masked(AccessToken.class);
    }
}
