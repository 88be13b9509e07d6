package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.auth.ProtectedPaths;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first wall in front of every MCP endpoint, run before authentication (so that no token is
 * even looked at for a request refused here) and before the body is read:
 * <ul>
 *   <li>{@code Origin} and {@code Host} must be on the allow-lists ({@link OriginHostPolicy}),
 *       else 403: this is the DNS-rebinding defence the MCP transport spec requires;</li>
 *   <li>a declared {@code Content-Length} above {@code entramcp.mcp.max-body-bytes} is refused
 *       with 413 before a byte of the body is buffered (a body sent without a length is checked
 *       by the controllers once read, and capped by {@code micronaut.server.max-request-size}).</li>
 * </ul>
 * Which paths are MCP endpoints is decided by {@link ProtectedPaths}, the same test that
 * authentication applies (after percent-decoding, collapsing slashes and lower-casing), so that a
 * spelling such as {@code /MCP} or {@code /%6Dcp} cannot skip this wall while still being authenticated.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class RequestHygieneFilter implements Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(RequestHygieneFilter.class);

    private final OriginHostPolicy policy;
    private final JsonRpcCodec codec;
    private final long maxBodyBytes;

    public RequestHygieneFilter(OriginHostPolicy policy, JsonRpcCodec codec, McpTransportSettings settings) {
        this.policy = policy;
        this.codec = codec;
        this.maxBodyBytes = settings.maxBodyBytes();
    }

    @RequestFilter
    @Nullable
    public MutableHttpResponse<?> check(HttpRequest<?> request) {
        if (!ProtectedPaths.isProtected(request.getPath())) {
            return null;
        }
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        if (!policy.isOriginAllowed(origin)) {
            LOG.warn("Refused a request from a disallowed Origin ({})", ToolBridge.printable(origin));
            return McpHttpResponses.jsonRpcError(403, codec.error(JsonRpcCodec.INVALID_REQUEST,
                    "Forbidden: this Origin is not allowed"));
        }
        String host = request.getHeaders().get(HttpHeaders.HOST);
        if (!policy.isHostAllowed(host)) {
            LOG.warn("Refused a request for a disallowed Host ({})", host == null ? "none" : ToolBridge.printable(host));
            return McpHttpResponses.jsonRpcError(403, codec.error(JsonRpcCodec.INVALID_REQUEST,
                    "Forbidden: this Host is not allowed"));
        }
        long contentLength = request.getContentLength();
        if (contentLength > maxBodyBytes) {
            return McpHttpResponses.jsonRpcError(413, codec.error(JsonRpcCodec.INVALID_REQUEST,
                    "Payload Too Large: the request body exceeds " + maxBodyBytes + " bytes"));
        }
        return null;
    }

    /**
     * Before micronaut-security ({@code ServerFilterPhase.SECURITY}) and the authentication
     * layer's own filters (just before and after it): no token is looked at for a request refused here.
     */
    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.after();
    }
}
