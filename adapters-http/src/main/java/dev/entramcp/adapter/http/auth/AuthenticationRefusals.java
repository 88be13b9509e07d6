package dev.entramcp.adapter.http.auth;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every refusal of the authentication layer, built in one place so that whoever notices the
 * problem answers alike: micronaut-security's exception handler, the two safety filters, and the
 * MCP transports' own last check ({@code RequestGate}) when they find no caller.
 *
 * <p>The shape is OAuth's (RFC 6750 section 3), not JSON-RPC's: the status, a
 * {@code WWW-Authenticate} challenge from {@link Challenges}, {@code Cache-Control: no-store},
 * and an {@link AuthErrorBody} {@code {"error": "...", "error_description": "..."}} repeating
 * the challenge's two values. The authentication layer answers before any JSON-RPC message is
 * read, on every path (MCP endpoints, PRM, a facade's endpoints), so it speaks the language of
 * the authorization framework; an MCP client acts on the status and the challenge. Refusals made
 * by the MCP transports themselves after authentication (hygiene, rate limit, malformed
 * JSON-RPC, the step-up 403) carry JSON-RPC error objects instead; see the package
 * documentation of {@code dev.entramcp.adapter.http}.
 */
@Singleton
public final class AuthenticationRefusals {

    private static final String NO_TOKEN = "a bearer token is required in the Authorization header";

    private final Challenges challenges;
    private final Duration retryAfter;

    /**
     * @param challenges the challenges of this resource server
     * @param settings   for the {@code Retry-After} of a 503: the least time between two JWKS
     *                   fetches, the soonest the keys can arrive
     */
    public AuthenticationRefusals(Challenges challenges, AuthSettings settings) {
        this.challenges = Objects.requireNonNull(challenges, "'challenges' must not be null");
        this.retryAfter = Objects.requireNonNull(settings, "'settings' must not be null").jwksMinRefetchInterval();
    }

    /**
     * 401 when the request has no usable token, or 401 {@code invalid_token} when the validator
     * refused the token it presented, or 503 {@code temporarily_unavailable} (with
     * {@code Retry-After}, without a challenge) when no signing key was ever loaded.
     */
    public MutableHttpResponse<AuthErrorBody> unauthorized(HttpRequest<?> request) {
        TokenVerification refusal = request.getAttribute(BearerTokenValidator.REFUSAL_ATTRIBUTE, TokenVerification.class)
                .orElse(null);
        if (refusal instanceof TokenVerification.Unavailable unavailable) {
            long seconds = Math.max(1, retryAfter.toSeconds());
            return body(HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE), "temporarily_unavailable",
                    unavailable.description()).header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        if (refusal instanceof TokenVerification.Rejected rejected) {
            return body(HttpResponse.status(HttpStatus.UNAUTHORIZED), BearerChallenge.INVALID_TOKEN,
                    rejected.description())
                    .header(HttpHeaders.WWW_AUTHENTICATE, challenges.invalidToken(rejected.description()).headerValue());
        }
        return body(HttpResponse.status(HttpStatus.UNAUTHORIZED), "unauthorized", NO_TOKEN)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenges.missingToken().headerValue());
    }

    /** 400 {@code invalid_request}: the credentials came in a form this server never accepts. */
    public MutableHttpResponse<AuthErrorBody> invalidRequest(String description) {
        return body(HttpResponse.status(HttpStatus.BAD_REQUEST), BearerChallenge.INVALID_REQUEST, description)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenges.invalidRequest(description).headerValue());
    }

    /** 403 for an authenticated caller that a security rule refused. */
    public MutableHttpResponse<AuthErrorBody> forbidden() {
        String description = "the caller is not allowed to use this endpoint";
        return body(HttpResponse.status(HttpStatus.FORBIDDEN), BearerChallenge.INSUFFICIENT_SCOPE, description)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenges.insufficientScope(List.of(), description).headerValue());
    }

    private static MutableHttpResponse<AuthErrorBody> body(MutableHttpResponse<?> response, String error,
                                                           String description) {
        return response.header(HttpHeaders.CACHE_CONTROL, "no-store")
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(new AuthErrorBody(error, description));
    }
}
