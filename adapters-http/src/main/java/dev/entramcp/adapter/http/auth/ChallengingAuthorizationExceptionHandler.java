package dev.entramcp.adapter.http.auth;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Turns micronaut-security's refusals into the answers the MCP authorization spec expects,
 * replacing its default handler (which has no {@code scope} and no {@code error} in the challenge,
 * and may redirect browsers to a login page):
 * <ul>
 *   <li>no token: 401 with {@code WWW-Authenticate: Bearer resource_metadata="...", scope="..."};</li>
 *   <li>a refused token: 401 with {@code error="invalid_token"} and a short description;</li>
 *   <li>keys never loaded: 503 with {@code Retry-After};</li>
 *   <li>an authenticated caller refused by a rule: 403 {@code insufficient_scope}.</li>
 * </ul>
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class ChallengingAuthorizationExceptionHandler
        implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {

    private final AuthenticationRefusals refusals;

    public ChallengingAuthorizationExceptionHandler(AuthenticationRefusals refusals) {
        this.refusals = refusals;
    }

    @Override
    @SuppressWarnings("rawtypes") // the interface declares the raw type
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        if (exception.isForbidden()) {
            return refusals.forbidden();
        }
        return refusals.unauthorized(request);
    }
}
