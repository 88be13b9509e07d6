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

    /** A new application with its own, empty, in-memory token cache. */
    ConfidentialClientApplication newApplication() {
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication.builder(config.clientId(), credential)
                    .authority(config.authority().url())
                    .instanceDiscovery(config.authority().instanceDiscovery())
                    .executorService(executor);
            config.sslSocketFactory().ifPresent(builder::sslSocketFactory);
            httpClient.ifPresent(builder::httpClient);
            return builder.build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Invalid authority " + config.authority().url(), e);
        }
    }

    /** The admin-consent URL for these (bare or qualified) downstream scopes. */
    Optional<URI> adminConsentUrl(Collection<String> scopes) {
        return Optional.of(config.authority().adminConsentUrl(config.clientId(),
                GrantedScopes.qualified(scopes, config.downstreamResource().toString())));
    }
}
