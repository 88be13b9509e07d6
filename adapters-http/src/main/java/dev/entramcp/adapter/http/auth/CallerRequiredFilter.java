package dev.entramcp.adapter.http.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Fails closed: after micronaut-security's filter, a request to an MCP endpoint
 * ({@link ProtectedPaths}) that carries no verified caller is answered 401, whatever happened
 * before. It only matters if the security filter was disabled or narrowed by configuration
 * ({@code micronaut.security.filter.*}); normally {@link McpEndpointsSecurityRule} has already
 * refused such a request.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CallerRequiredFilter implements Ordered {

    private final AuthenticationRefusals refusals;

    public CallerRequiredFilter(AuthenticationRefusals refusals) {
        this.refusals = refusals;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> requireCaller(HttpRequest<?> request) {
        if (ProtectedPaths.isProtected(request.getPath()) && AuthenticatedCaller.of(request).isEmpty()) {
            return refusals.unauthorized(request);
        }
        return null;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }
}
