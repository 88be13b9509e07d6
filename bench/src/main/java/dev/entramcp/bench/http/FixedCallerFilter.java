package dev.entramcp.bench.http;

import dev.entramcp.adapter.http.auth.AuthenticatedCaller;
import dev.entramcp.adapter.http.auth.ProtectedPaths;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.net.InetSocketAddress;

/**
 * Benchmark H2 only: in place of micronaut-security's filter (at its position in the chain),
 * attributes every MCP request to the {@link UnauthenticatedLoopbackCaller}, through the same seam
 * the bearer validator uses ({@link AuthenticatedCaller#attach}). Everything after it (request
 * hygiene, rate limit, sessions bound to the principal, tool policy, audit) runs as with a token.
 * A request from a non-loopback peer is refused 403, whatever the binding.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = UnauthenticatedLoopbackCaller.SWITCH, value = "true")
public final class FixedCallerFilter implements Ordered {

    private final UnauthenticatedLoopbackCaller fixed;

    public FixedCallerFilter(UnauthenticatedLoopbackCaller fixed) {
        this.fixed = fixed;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> attributeToTheFixedCaller(HttpRequest<?> request) {
        InetSocketAddress peer = request.getRemoteAddress();
        if (peer == null || peer.getAddress() == null || !peer.getAddress().isLoopbackAddress()) {
            return HttpResponse.status(HttpStatus.FORBIDDEN);
        }
        if (ProtectedPaths.isProtected(request.getPath())) {
            fixed.current().ifPresent(who -> AuthenticatedCaller.attach(request, who.caller(), who.expiresAt()));
        }
        return null;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
