package dev.entramcp.adapter.http.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.SecurityFilter;

import java.util.Optional;

/**
 * Authenticates the MCP endpoints where {@link McpAwareSecurityFilter} stands aside: the bearer
 * token from the {@code Authorization} header ({@link AuthorizationHeaderTokenReader}), checked by
 * {@link BearerTokenValidator} (which attaches the caller for the transports), and without a
 * verified caller the answer {@link AuthenticationRefusals} gives everywhere (401 with the
 * challenge, or 503 before the signing keys ever loaded). Synchronous, at micronaut-security's
 * place in the filter order; it sets micronaut-security's request attributes as its filter would,
 * except the raw token, which it does not copy anywhere.
 *
 * <p>On every other request (and on every request when micronaut-security must decide, see
 * {@link McpAwareSecurityFilter}) it does nothing. {@link CallerRequiredFilter} still checks, after
 * both, that no MCP request goes on without a caller.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class McpBearerAuthenticationFilter implements Ordered {

    private final Optional<McpAwareSecurityFilter> securityFilter;
    private final AuthorizationHeaderTokenReader reader;
    private final BearerTokenValidator validator;
    private final AuthenticationRefusals refusals;

    public McpBearerAuthenticationFilter(Optional<McpAwareSecurityFilter> securityFilter, AuthorizationHeaderTokenReader reader,
                                         BearerTokenValidator validator, AuthenticationRefusals refusals) {
        this.securityFilter = securityFilter;
        this.reader = reader;
        this.validator = validator;
        this.refusals = refusals;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (securityFilter.isEmpty() || !securityFilter.get().leavesToBearerFilter(request)) {
            return null;
        }
        request.setAttribute(SecurityFilter.KEY, true);
        Optional<Authentication> authentication = reader.findToken(request)
                .flatMap(token -> validator.authenticate(token, request));
        if (authentication.isEmpty()) {
            return refusals.unauthorized(request);
        }
        request.setAttribute(SecurityFilter.AUTHENTICATION, authentication.get());
        return null;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
