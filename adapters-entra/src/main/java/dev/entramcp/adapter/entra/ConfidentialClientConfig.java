package dev.entramcp.adapter.entra;

import javax.net.ssl.SSLSocketFactory;
import java.net.URI;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * @param tenants             the tenants whose users' tokens the server may exchange On-Behalf-Of
 *                            (lower-case; the authority's tenant by default, the resource server's
 *                            allow-list of tenants when it is multi-tenant). Each exchange is sent
 *                            to the authority of the caller's own tenant, which must be one of these.
 */
public record ConfidentialClientConfig(String clientId, EntraAuthority authority, ClientCredentialConfig credential,
                                       URI downstreamResource, int maxCachedPrincipals,
                                       Optional<SSLSocketFactory> sslSocketFactory, Set<String> tenants) {

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
        Objects.requireNonNull(tenants, "'tenants' must not be null");
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("'tenants' must name at least one tenant");
        }
        Set<String> lower = new LinkedHashSet<>();
        for (String tenant : tenants) {
            Objects.requireNonNull(tenant, "'tenants' must not contain null");
            // validates the name as an authority's tenant would be
            lower.add(authority.forTenant(tenant.toLowerCase(Locale.ROOT)).tenant());
        }
        tenants = Collections.unmodifiableSet(lower);
    }

    /** Graph as the downstream, 1000 cached principals, the JDK's trust store. */
    public static ConfidentialClientConfig of(String clientId, EntraAuthority authority, ClientCredentialConfig credential) {
        return new ConfidentialClientConfig(clientId, authority, credential, GRAPH, DEFAULT_MAX_CACHED_PRINCIPALS, Optional.empty(),
                Set.of(authority.tenant().toLowerCase(Locale.ROOT)));
    }

    public ConfidentialClientConfig withDownstreamResource(URI resource) {
        return new ConfidentialClientConfig(clientId, authority, credential, resource, maxCachedPrincipals, sslSocketFactory, tenants);
    }

    public ConfidentialClientConfig withMaxCachedPrincipals(int max) {
        return new ConfidentialClientConfig(clientId, authority, credential, downstreamResource, max, sslSocketFactory, tenants);
    }

    public ConfidentialClientConfig withSslSocketFactory(SSLSocketFactory factory) {
        return new ConfidentialClientConfig(clientId, authority, credential, downstreamResource, maxCachedPrincipals,
                Optional.of(factory), tenants);
    }

    /**
     * A multi-tenant server: users of these tenants (those the resource server lets in) may have
     * their tokens exchanged, each at their own tenant's authority.
     */
    public ConfidentialClientConfig withTenants(Collection<String> allowed) {
        return new ConfidentialClientConfig(clientId, authority, credential, downstreamResource, maxCachedPrincipals,
                sslSocketFactory, new LinkedHashSet<>(Objects.requireNonNull(allowed, "'tenants' must not be null")));
    }

    /** Whether users of this tenant may have their tokens exchanged. */
    public boolean allowsTenant(String tenant) {
        return tenant != null && tenants.contains(tenant.toLowerCase(Locale.ROOT));
    }
}
