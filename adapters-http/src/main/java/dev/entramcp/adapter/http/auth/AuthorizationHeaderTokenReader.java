package dev.entramcp.adapter.http.auth;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.reader.TokenReader;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Reads the bearer token from the {@code Authorization} header, and from nowhere else
 * (PRM advertises {@code bearer_methods_supported: ["header"]}).
 *
 * <p>It replaces every other {@link TokenReader}: micronaut-security's {@code BearerTokenReader}
 * (which logs a non-Bearer {@code Authorization} header, Basic credentials included, at debug
 * level) and the cookie readers, so no token can arrive by cookie, where a cross-site request
 * would carry it along. Tokens in the URL are refused earlier by {@link BearerRequestFilter}.
 */
@Singleton
@Replaces(TokenReader.class)
public class AuthorizationHeaderTokenReader implements TokenReader<HttpRequest<?>> {

    private static final String SCHEME = "Bearer ";

    @Override
    public Optional<String> findToken(HttpRequest<?> request) {
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(SCHEME.length()).strip());
    }
}
