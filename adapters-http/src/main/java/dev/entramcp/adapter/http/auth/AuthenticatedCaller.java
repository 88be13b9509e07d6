package dev.entramcp.adapter.http.auth;

import dev.entramcp.domain.model.CallerIdentity;
import io.micronaut.http.HttpRequest;

import java.util.Optional;

/**
 * The seam between authentication and the MCP transports: once the bearer token of a request is
 * verified, the authentication filter attaches the caller here, and the transports read it back.
 * A transport that finds no caller must refuse the request (defence in depth: the filter should
 * already have answered 401).
 */
public final class AuthenticatedCaller {

    /** The request attribute holding the verified {@link CallerIdentity}. */
    public static final String ATTRIBUTE = "dev.entramcp.authenticated-caller";

    private AuthenticatedCaller() {
    }

    public static void attach(HttpRequest<?> request, CallerIdentity caller) {
        request.setAttribute(ATTRIBUTE, caller);
    }

    public static Optional<CallerIdentity> of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, CallerIdentity.class);
    }
}
