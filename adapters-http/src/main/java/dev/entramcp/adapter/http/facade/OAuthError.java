package dev.entramcp.adapter.http.facade;

import java.util.Objects;

/**
 * An OAuth refusal on its way out of a facade endpoint: the {@code error} code of RFC 6749 (section
 * 4.1.2.1 for {@code /authorize}, 5.2 for {@code /token}), RFC 7591 section 3.2.2 (registration) or
 * RFC 8707 ({@code invalid_target}), a description made of a few safe words (never a token, a
 * secret or a value the client sent, beyond a parameter name), and the HTTP status. It is control
 * flow, so it carries no stack trace.
 */
final class OAuthError extends RuntimeException {

    static final String INVALID_REQUEST = "invalid_request";
    static final String INVALID_CLIENT = "invalid_client";
    static final String INVALID_GRANT = "invalid_grant";
    static final String UNAUTHORIZED_CLIENT = "unauthorized_client";
    static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";
    static final String UNSUPPORTED_RESPONSE_TYPE = "unsupported_response_type";
    static final String INVALID_SCOPE = "invalid_scope";
    static final String INVALID_TARGET = "invalid_target";
    static final String ACCESS_DENIED = "access_denied";
    static final String SERVER_ERROR = "server_error";
    static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";
    static final String INTERACTION_REQUIRED = "interaction_required";
    static final String INVALID_REDIRECT_URI = "invalid_redirect_uri";
    static final String INVALID_CLIENT_METADATA = "invalid_client_metadata";

    private final int status;
    private final String error;
    private final String description;
    private final java.util.Optional<java.time.Duration> retryAfter;

    OAuthError(int status, String error, String description) {
        this(status, error, description, java.util.Optional.empty());
    }

    /** With {@code retryAfter}: how long the client should wait, sent as {@code Retry-After} (a 429 or a 503). */
    OAuthError(int status, String error, String description, java.util.Optional<java.time.Duration> retryAfter) {
        super(error + ": " + description, null, false, false);
        this.status = status;
        this.error = Objects.requireNonNull(error, "'error' must not be null");
        this.description = Objects.requireNonNull(description, "'description' must not be null");
        this.retryAfter = Objects.requireNonNull(retryAfter, "'retryAfter' must not be null");
    }

    static OAuthError invalidRequest(String description) {
        return new OAuthError(400, INVALID_REQUEST, description);
    }

    static OAuthError invalidGrant(String description) {
        return new OAuthError(400, INVALID_GRANT, description);
    }

    /** 401, as RFC 6749 section 5.2 asks when the client tried to authenticate. */
    static OAuthError invalidClient(String description) {
        return new OAuthError(401, INVALID_CLIENT, description);
    }

    int status() {
        return status;
    }

    /** How long to wait before trying again, when the refusal is a limit. */
    java.util.Optional<java.time.Duration> retryAfter() {
        return retryAfter;
    }

    String error() {
        return error;
    }

    String description() {
        return description;
    }
}
