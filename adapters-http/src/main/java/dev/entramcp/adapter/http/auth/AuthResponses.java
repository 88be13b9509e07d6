package dev.entramcp.adapter.http.auth;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import java.time.Duration;
import java.util.List;

/**
 * Builds every refusal of the authentication layer, so that the security filter's exception
 * handler and the two safety filters answer alike: status, {@code WWW-Authenticate} from
 * {@link Challenges}, {@code Cache-Control: no-store}, and an {@link AuthErrorBody}.
 */
final class AuthResponses {

    private AuthResponses() {
    }

    /**
     * 401 when the request has no usable token, or 401 {@code invalid_token} when the validator
     * refused the token it presented, or 503 when keys were never loaded.
     */
    static MutableHttpResponse<AuthErrorBody> unauthorized(HttpRequest<?> request, Challenges challenges,
                                                           Duration retryAfter) {
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
        return body(HttpResponse.status(HttpStatus.UNAUTHORIZED), "unauthorized",
                "a bearer token is required in the Authorization header")
                .header(HttpHeaders.WWW_AUTHENTICATE, challenges.missingToken().headerValue());
    }

    /** 400 {@code invalid_request}: the credentials came in a form this server never accepts. */
    static MutableHttpResponse<AuthErrorBody> badRequest(Challenges challenges, String description) {
        return body(HttpResponse.status(HttpStatus.BAD_REQUEST), BearerChallenge.INVALID_REQUEST, description)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenges.invalidRequest(description).headerValue());
    }

    /** 403 for an authenticated caller that a security rule refused. */
    static MutableHttpResponse<AuthErrorBody> forbidden(Challenges challenges) {
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
