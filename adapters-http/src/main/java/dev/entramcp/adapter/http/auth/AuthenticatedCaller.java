package dev.entramcp.adapter.http.auth;

import dev.entramcp.domain.model.CallerIdentity;
import io.micronaut.http.HttpRequest;

import java.time.Instant;
import java.util.Optional;

/**
 * The seam between authentication and the MCP transports: once the bearer token of a request is
 * verified, the authentication filter attaches the caller here, and the transports read it back.
 * A transport that finds no caller must refuse the request (defence in depth: the filter should
 * already have answered 401).
 *
 * <p>The token's expiry is attached too, for a transport that wants to end a long-lived stream
 * (SSE) when the token that opened it expires: an open stream is not re-authenticated by itself.
 */
public final class AuthenticatedCaller {

    /** The request attribute holding the verified {@link CallerIdentity}. */
    public static final String ATTRIBUTE = "dev.entramcp.authenticated-caller";
    /** The request attribute holding the verified token's {@code exp}, as an {@link Instant}. */
    public static final String EXPIRES_AT_ATTRIBUTE = "dev.entramcp.authenticated-caller.expires-at";

    private AuthenticatedCaller() {
    }

    public static void attach(HttpRequest<?> request, CallerIdentity caller) {
        request.setAttribute(ATTRIBUTE, caller);
    }

    /** Attaches the caller and the expiry of the token it was verified from. */
    public static void attach(HttpRequest<?> request, CallerIdentity caller, Instant expiresAt) {
        attach(request, caller);
        request.setAttribute(EXPIRES_AT_ATTRIBUTE, expiresAt);
    }

    public static Optional<CallerIdentity> of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, CallerIdentity.class);
    }

    /** When the caller's token expires, if the authentication recorded it. */
    public static Optional<Instant> expiresAt(HttpRequest<?> request) {
        return request.getAttribute(EXPIRES_AT_ATTRIBUTE, Instant.class);
    }
}
