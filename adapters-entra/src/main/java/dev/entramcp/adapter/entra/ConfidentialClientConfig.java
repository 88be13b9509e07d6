package dev.entramcp.adapter.entra;

import javax.net.ssl.SSLSocketFactory;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The remote scenario's confidential client (the MCP server's own app registration).
 *
 * @param clientId            the server's application (client) id
 * @param authority           its tenant's authority
 * @param credential          how it proves its identity
 * @param downstreamResource  the resource of the downstream scopes, to qualify them in admin-consent
 *                            URLs ({@code https://graph.microsoft.com})
 * @param maxCachedPrincipals how many users' On-Behalf-Of token caches are kept (least recently used
 *                            ones are dropped beyond that)
 * @param sslSocketFactory    trust for a local stand-in's self-signed certificate
 */
public record ConfidentialClientConfig(String clientId, EntraAuthority authority, ClientCredentialConfig credential,
                                       URI downstreamResource, int maxCachedPrincipals,
                                       Optional<SSLSocketFactory> sslSocketFactory) {

    public static final URI GRAPH = URI.create("https://graph.microsoft.com");
    public static final int DEFAULT_MAX_CACHED_PRINCIPALS = 1000;

    public ConfidentialClientConfig {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("'clientId' must not be blank (set AZURE_CLIENT_ID)");
        }
        Objects.requireNonNull(authority, "'authority' must not be null");
        Objects.requireNonNull(credential, "'credential' must not be null");
        Objects.requireNonNull(downstreamResource, "'downstreamResource' must not be null");
        if (maxCachedPrincipals < 1) {
            throw new IllegalArgumentException("'maxCachedPrincipals' must be at least 1");
        }
        Objects.requireNonNull(sslSocketFactory, "'sslSocketFactory' must not be null");
    }

    /** Graph as the downstream, 1000 cached principals, the JDK's trust store. */
    public static ConfidentialClientConfig of(String clientId, EntraAuthority authority, ClientCredentialConfig credential) {
        return new ConfidentialClientConfig(clientId, authority, credential, GRAPH, DEFAULT_MAX_CACHED_PRINCIPALS, Optional.empty());
    }

    public ConfidentialClientConfig withDownstreamResource(URI resource) {
        return new ConfidentialClientConfig(clientId, authority, credential, resource, maxCachedPrincipals, sslSocketFactory);
    }

    public ConfidentialClientConfig withMaxCachedPrincipals(int max) {
        return new ConfidentialClientConfig(clientId, authority, credential, downstreamResource, max, sslSocketFactory);
    }

    public ConfidentialClientConfig withSslSocketFactory(SSLSocketFactory factory) {
        return new ConfidentialClientConfig(clientId, authority, credential, downstreamResource, maxCachedPrincipals,
                Optional.of(factory));
    }
}
