package dev.entramcp.adapter.http.auth;

import dev.entramcp.domain.model.CallerIdentity;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of checking one bearer token: a value, not an exception, because refusing a token
 * is an expected event. The HTTP layer maps each outcome to its answer (the caller attached to the
 * request, a 401 challenge, or a 503).
 */
public sealed interface TokenVerification {

    /**
     * The token is genuine, current and meant for this server.
     *
     * @param caller    who calls, with the token as On-Behalf-Of assertion when the issuer allows it
     * @param expiresAt the token's {@code exp}
     * @param issuer    the token's {@code iss}
     */
    record Verified(CallerIdentity caller, Instant expiresAt, String issuer) implements TokenVerification {
        public Verified {
            Objects.requireNonNull(caller, "'caller' must not be null");
            Objects.requireNonNull(expiresAt, "'expiresAt' must not be null");
            Objects.requireNonNull(issuer, "'issuer' must not be null");
        }
    }

    /**
     * The token is refused (answer 401 {@code invalid_token}).
     *
     * @param description a few safe words for {@code error_description}: never the token, never a claim value
     */
    record Rejected(String description) implements TokenVerification {
        public Rejected {
            Objects.requireNonNull(description, "'description' must not be null");
        }
    }

    /**
     * The token cannot be judged now, because no signing key was ever loaded (answer 503: the
     * client's token may be fine, and asking it to sign in again would not help).
     */
    record Unavailable(String description) implements TokenVerification {
        public Unavailable {
            Objects.requireNonNull(description, "'description' must not be null");
        }
    }
}
