package dev.entramcp.app.remote;

import dev.entramcp.adapter.entra.ClientCredentialConfig;
import dev.entramcp.adapter.entra.ConfidentialClientConfig;
import dev.entramcp.adapter.entra.EntraAuthorizationCodeClient;
import dev.entramcp.adapter.http.auth.AuthSettings;
import dev.entramcp.adapter.http.facade.FacadeProperties;
import dev.entramcp.adapter.http.facade.FacadeSettings;
import dev.entramcp.domain.port.out.UpdateSignedInUserPort;
import dev.entramcp.domain.port.out.UpstreamAuthorizationPort;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;
import dev.entramcp.domain.service.UpstreamTokenBroker;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Optional;

/**
 * The composition root's part for authorization-server facade mode ({@code --facade}, or
 * {@code entramcp.facade.enabled=true}): the server signs users in at Entra itself, as its
 * confidential client (authorization code + PKCE, msal4j), keeps their Entra tokens in the facade's
 * encrypted store, and calls Graph with them through the domain's {@link UpstreamTokenBroker},
 * which refreshes them when they expire. The broker replaces On-Behalf-Of as the
 * {@code AcquireDownstreamTokenPort}: the caller's token is the facade's own, which Entra would not
 * accept as an assertion and must never receive.
 */
@Factory
@Requires(property = FacadeProperties.ENABLED, value = "true")
class FacadeWiring {

    /** Entra, as the facade's upstream: the same app registration and credential as On-Behalf-Of would use. */
    @Singleton
    UpstreamAuthorizationPort entraSignIn(AuthSettings auth, FacadeSettings facade, CredentialSettings credentials,
                                          @Value("${entramcp.entra.credential:secret}") String credentialKind,
                                          Optional<DemoTrust> demoTrust) {
        ConfidentialClientConfig config = ConfidentialClientConfig.of(auth.clientId(), RemoteWiring.authority(auth),
                ClientCredentialConfig.of(credentialKind, credentials.lookup()));
        return new EntraAuthorizationCodeClient(demoTrust
                .map(trust -> config.withSslSocketFactory(trust.sslContext().getSocketFactory()))
                .orElse(config), facade.upstreamScopes());
    }

    /**
     * The stored Entra tokens, refreshed a minute before they expire, as the downstream token
     * source; each refresh's ID token updates the app roles the facade's grants carry.
     */
    @Singleton
    UpstreamTokenBroker downstreamTokens(UpstreamTokenStorePort store, UpstreamAuthorizationPort upstream,
                                         UpdateSignedInUserPort signedInUsers) {
        return new UpstreamTokenBroker(store, upstream, signedInUsers, Clock.systemUTC());
    }
}
