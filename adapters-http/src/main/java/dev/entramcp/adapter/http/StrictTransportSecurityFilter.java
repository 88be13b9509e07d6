package dev.entramcp.adapter.http;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * HTTP Strict Transport Security (RFC 6797): once a browser or client has seen
 * {@code Strict-Transport-Security: max-age=31536000; includeSubDomains} over HTTPS, it refuses
 * plain HTTP to this host (and its subdomains) for a year, so that no one on the path can
 * downgrade a later connection and read the bearer tokens it carries.
 *
 * <p>The header is sent on <em>every</em> answer (MCP, PRM, health, refusals, 404s: this filter
 * runs outside all others) when the connection to the client is TLS:
 * <ul>
 *   <li>{@code micronaut.server.ssl.enabled=true}: this server terminates TLS. With
 *       {@code micronaut.server.dual-protocol=true} it also serves plain HTTP, and then only
 *       answers on TLS connections carry the header (RFC 6797 section 7.2: a host must not send it
 *       over plain HTTP, where it proves nothing).</li>
 *   <li>{@code entramcp.http.hsts.enabled=true}: a proxy or gateway in front terminates TLS and
 *       forwards plain HTTP here; the header is sent on every answer for the proxy to pass on.
 *       Turn it on only when clients reach this server by HTTPS alone.</li>
 * </ul>
 * Otherwise (plain HTTP, the demo, tests on loopback) it is never sent.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class StrictTransportSecurityFilter implements Ordered {

    /** The header's name. */
    public static final String HEADER = "Strict-Transport-Security";
    /** One year, this host and its subdomains. */
    public static final String VALUE = "max-age=31536000; includeSubDomains";
    /** The switch for TLS terminated in front of this server. */
    public static final String ENABLED_KEY = "entramcp.http.hsts.enabled";

    private final boolean tlsHere;
    private final boolean alsoPlainHttp;
    private final boolean tlsInFront;

    /**
     * @param tlsHere       {@code micronaut.server.ssl.enabled}
     * @param alsoPlainHttp {@code micronaut.server.dual-protocol}
     * @param tlsInFront    {@code entramcp.http.hsts.enabled}
     */
    public StrictTransportSecurityFilter(@Value("${micronaut.server.ssl.enabled:false}") boolean tlsHere,
                                         @Value("${micronaut.server.dual-protocol:false}") boolean alsoPlainHttp,
                                         @Value("${" + ENABLED_KEY + ":false}") boolean tlsInFront) {
        this.tlsHere = tlsHere;
        this.alsoPlainHttp = alsoPlainHttp;
        this.tlsInFront = tlsInFront;
    }

    @ResponseFilter
    public void addHeader(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (tlsInFront || tlsHere && (!alsoPlainHttp || request.isSecure())) {
            response.getHeaders().set(HEADER, VALUE);
        }
    }

    /** Outside every other filter, so that the refusals they answer early carry the header too. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.before();
    }
}
