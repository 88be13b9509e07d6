package dev.entramcp.adapter.http.auth;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/**
 * Serves the Protected Resource Metadata without authentication, at the path-aware URL of the
 * MCP resource ({@code /.well-known/oauth-protected-resource/mcp}, the one the 401 challenges
 * name) and at the root well-known URL that older clients try first.
 *
 * <p><b>Why not micronaut-security-oauth2's PRM support</b> ({@code DefaultProtectedResourceMetadataProvider}):
 * in 4.15.1 it is experimental, it lists {@code authorization_servers} only when an OpenID
 * <em>client</em> is configured (whose discovery document is then fetched eagerly at start-up,
 * and the client silently disabled if that fails), and its challenges carry neither
 * {@code scope} nor {@code error}. Bringing in the whole OAuth client module to serve a
 * five-field document, then overriding both the document and the challenge, would cost more
 * than this class and {@link Challenges} do, and the facade needs {@code authorization_servers}
 * to point at itself, which is one configuration key here
 * ({@code entramcp.auth.authorization-servers}). A deployment that needs more can replace the
 * {@link ProtectedResourceMetadata} bean.
 *
 * <p>The document is public, so any origin may read it ({@code Access-Control-Allow-Origin: *}),
 * which browser-based MCP clients need.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public class ProtectedResourceMetadataController {

    private final ProtectedResourceMetadata metadata;

    public ProtectedResourceMetadataController(ProtectedResourceMetadata metadata) {
        this.metadata = metadata;
    }

    @Get(uris = {AuthSettings.METADATA_PATH + AuthSettings.MCP_PATH, AuthSettings.METADATA_PATH},
            produces = MediaType.APPLICATION_JSON)
    public HttpResponse<ProtectedResourceMetadata> metadata() {
        return HttpResponse.ok(metadata)
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=3600")
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }
}
