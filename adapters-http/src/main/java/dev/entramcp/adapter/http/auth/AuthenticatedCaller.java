package dev.entramcp.adapter.http.auth;

import dev.entramcp.domain.model.CallerIdentity;
import io.micronaut.http.HttpRequest;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The seam between authentication and the MCP transports, and the only one: once the bearer token
 * of a request is verified, {@link BearerTokenValidator} attaches the caller <em>and</em> the
 * token's expiry here, and the transports read both back. Nothing else writes these attributes.
 * A transport that finds no caller must refuse the request (defence in depth: micronaut-security
 * should already have answered 401).
 *
 * <p>The expiry is what ends a long-lived stream ({@code GET /mcp}, {@code GET /sse}) when the
 * token that opened it expires (the transport's {@code StreamDeadline}): an open stream is not
 * re-authenticated by itself.
 */
public final class AuthenticatedCaller {

    /** The request attribute holding the verified {@link CallerIdentity}. */
    public static final String ATTRIBUTE = "dev.entramcp.authenticated-caller";
    /** The request attribute holding the verified token's {@code exp}, as an {@link Instant}. */
    public static final String EXPIRES_AT_ATTRIBUTE = "dev.entramcp.authenticated-caller.expires-at";

    private AuthenticatedCaller() {
    }

    /** Attaches the caller and the expiry of the token it was verified from; both are required. */
    public static void attach(HttpRequest<?> request, CallerIdentity caller, Instant expiresAt) {
        Objects.requireNonNull(caller, "'caller' must not be null");
        Objects.requireNonNull(expiresAt, "'expiresAt' must not be null");
        request.setAttribute(ATTRIBUTE, caller);
        request.setAttribute(EXPIRES_AT_ATTRIBUTE, expiresAt);
    }

    public static Optional<CallerIdentity> of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, CallerIdentity.class);
    }

    /** When the caller's token expires; present whenever {@link #of} is. */
    public static Optional<Instant> expiresAt(HttpRequest<?> request) {
        return request.getAttribute(EXPIRES_AT_ATTRIBUTE, Instant.class);
    }
}
