package dev.entramcp.adapter.http.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Refuses, before authentication runs, credentials sent in a way this server never accepts,
 * with 400 {@code invalid_request} (RFC 6750 section 3.1):
 * <ul>
 *   <li>an {@code access_token} query parameter (RFC 6750 section 2.3): a token in a URL ends up
 *       in proxy and server logs and browser history, so it is refused on every path, even next
 *       to a valid header, rather than ignored;</li>
 *   <li>more than one {@code Authorization} header: which one would count is ambiguous.</li>
 * </ul>
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class BearerRequestFilter implements Ordered {

    static final String TOKEN_IN_QUERY = "access tokens are accepted only in the Authorization header, never in the URL";
    static final String SEVERAL_HEADERS = "send exactly one Authorization header";

    private final AuthenticationRefusals refusals;

    public BearerRequestFilter(AuthenticationRefusals refusals) {
        this.refusals = refusals;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> refuseMisplacedCredentials(HttpRequest<?> request) {
        if (request.getParameters().contains("access_token")) {
            return refusals.invalidRequest(TOKEN_IN_QUERY);
        }
        if (request.getHeaders().getAll(HttpHeaders.AUTHORIZATION).size() > 1) {
            return refusals.invalidRequest(SEVERAL_HEADERS);
        }
        return null;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }
}
