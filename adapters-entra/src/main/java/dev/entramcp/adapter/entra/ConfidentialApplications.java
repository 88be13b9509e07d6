package dev.entramcp.adapter.entra;

import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.IHttpClient;

import java.net.MalformedURLException;
import java.net.URI;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/** Builds the confidential client's msal4j applications, all alike, from one configuration. */
final class ConfidentialApplications {

    private final ConfidentialClientConfig config;
    private final IClientCredential credential;
    private final Optional<IHttpClient> httpClient;
    private final ExecutorService executor = MsalExecutors.callerRuns();

    ConfidentialApplications(ConfidentialClientConfig config, Optional<IHttpClient> httpClient) {
        this.config = config;
        this.httpClient = httpClient;
        this.credential = ClientCredentials.build(config.credential(), httpClient);
    }

    ConfidentialClientConfig config() {
        return config;
    }

    /** A new application of the configured (home) tenant, with its own, empty, in-memory token cache. */
    ConfidentialClientApplication newApplication() {
        return newApplication(config.authority());
    }

    /**
     * A new application signing in at this tenant's authority (a multi-tenant caller's own), with its
     * own, empty, in-memory token cache. Nothing is kept per tenant, so the number of tenants costs
     * nothing here; the caller checks the tenant is allowed ({@link ConfidentialClientConfig#allowsTenant}).
     */
    ConfidentialClientApplication newApplicationForTenant(String tenant) {
        return newApplication(config.authority().forTenant(tenant));
    }

    private ConfidentialClientApplication newApplication(EntraAuthority authority) {
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication.builder(config.clientId(), credential)
                    .authority(authority.url())
                    .instanceDiscovery(authority.instanceDiscovery())
                    .executorService(executor);
            config.sslSocketFactory().ifPresent(builder::sslSocketFactory);
            httpClient.ifPresent(builder::httpClient);
            return builder.build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Invalid authority " + authority.url(), e);
        }
    }

    /** The admin-consent URL of the configured (home) tenant for these (bare or qualified) downstream scopes. */
    Optional<URI> adminConsentUrl(Collection<String> scopes) {
        return adminConsentUrl(config.authority(), scopes);
    }

    /**
     * The admin-consent URL for a caller of this tenant: consent is granted by an administrator of
     * the caller's own tenant, at that tenant's authority.
     */
    Optional<URI> adminConsentUrlForTenant(String tenant, Collection<String> scopes) {
        return adminConsentUrl(config.authority().forTenant(tenant), scopes);
    }

    private Optional<URI> adminConsentUrl(EntraAuthority authority, Collection<String> scopes) {
        return Optional.of(authority.adminConsentUrl(config.clientId(),
                GrantedScopes.qualified(scopes, config.downstreamResource().toString())));
    }
}
