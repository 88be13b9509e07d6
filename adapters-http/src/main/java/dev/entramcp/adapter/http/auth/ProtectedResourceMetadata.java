package dev.entramcp.adapter.http.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Objects;

/**
 * This server's OAuth 2.0 Protected Resource Metadata (RFC 9728): how an MCP client that got a
 * 401 finds out which authorization server to ask, for which scopes, and how to send the token.
 *
 * @param resource               the canonical URI of the MCP resource ({@code {public-base-url}/mcp});
 *                               clients send it as the {@code resource} parameter (RFC 8707)
 * @param authorizationServers   issuer URLs of the authorization servers: the Entra tenant's v2.0
 *                               authority by default, the emulator in demo, this server in facade mode
 * @param scopesSupported        the scopes a client may request, in requestable form ({@code api://<app>/User.Read})
 * @param bearerMethodsSupported always {@code ["header"]}: tokens in the query or body are refused
 * @param resourceName           a human-readable name, if configured
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProtectedResourceMetadata(
        @JsonProperty("resource") String resource,
        @JsonProperty("authorization_servers") List<String> authorizationServers,
        @JsonProperty("scopes_supported") List<String> scopesSupported,
        @JsonProperty("bearer_methods_supported") List<String> bearerMethodsSupported,
        @JsonProperty("resource_name") @Nullable String resourceName) {

    /** The only bearer method this server accepts (RFC 6750 section 2.1). */
    public static final List<String> HEADER_ONLY = List.of("header");

    public ProtectedResourceMetadata {
        Objects.requireNonNull(resource, "'resource' must not be null");
        authorizationServers = List.copyOf(authorizationServers);
        if (authorizationServers.isEmpty()) {
            throw new IllegalArgumentException("'authorizationServers' must not be empty");
        }
        scopesSupported = List.copyOf(scopesSupported);
        bearerMethodsSupported = List.copyOf(bearerMethodsSupported);
    }

    /** The document described by the validated settings. */
    public static ProtectedResourceMetadata from(AuthSettings settings) {
        return new ProtectedResourceMetadata(settings.resource().toString(),
                settings.authorizationServers().stream().map(Object::toString).toList(),
                settings.requestableScopes(), HEADER_ONLY, settings.resourceName().orElse(null));
    }
}
