package dev.entramcp.adapter.http.facade;

import com.nimbusds.jose.JWSAlgorithm;
import dev.entramcp.adapter.http.auth.AuthProperties;
import dev.entramcp.adapter.http.auth.AuthSettings;
import dev.entramcp.adapter.http.auth.AuthenticationFactory;
import dev.entramcp.adapter.http.auth.InvalidAuthConfigurationException;
import dev.entramcp.adapter.http.auth.TrustedIssuer;
import dev.entramcp.adapter.http.auth.TrustedIssuers;
import dev.entramcp.adapter.http.facade.cimd.AddressPolicy;
import dev.entramcp.adapter.http.facade.cimd.MetadataDocumentFetcher;
import dev.entramcp.adapter.http.facade.store.EncryptedUpstreamTokenStore;
import dev.entramcp.adapter.http.facade.store.FileRecordStore;
import dev.entramcp.adapter.http.facade.store.InMemoryRecordStore;
import dev.entramcp.adapter.http.facade.store.RecordStore;
import dev.entramcp.adapter.http.facade.store.SealedRecords;
import dev.entramcp.domain.model.UpstreamAuthorizationRequest;
import dev.entramcp.domain.port.out.UpdateSignedInUserPort;
import dev.entramcp.domain.port.out.UpstreamAuthorizationPort;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;
import dev.entramcp.domain.service.UpstreamTokenBroker;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The authorization-server facade, switched on by {@code entramcp.facade.enabled=true}. The app
 * provides one bean, the {@link UpstreamAuthorizationPort} (Entra through msal4j), and wires the
 * domain's {@code UpstreamTokenBroker} over the {@link UpstreamTokenStorePort} and the
 * {@link UpdateSignedInUserPort} built here as its {@code AcquireDownstreamTokenPort}. Everything
 * else comes from here:
 *
 * <ul>
 *   <li><b>The resource server follows the facade.</b> {@link AuthSettings} is replaced by the same
 *       settings with {@code authorization_servers} = this server (so PRM sends clients here) and
 *       an empty scope prefix (clients ask this server for {@code User.Read}, not
 *       {@code api://.../User.Read}); setting either key to something else is refused at start.</li>
 *   <li><b>Only the facade's tokens are accepted:</b> the {@code entra} {@link TrustedIssuers} is
 *       replaced by an empty group, and the {@code facade} group trusts this server's issuer, its
 *       own keys, {@code aud} = the MCP resource, the allowed tenants, {@code ver} 2.0, and never
 *       keeps a token as an On-Behalf-Of assertion. The strict verifier is the same one.</li>
 *   <li>The store (memory or owner-only files, sealed with AES-256-GCM), the signing keyring, the
 *       clients, the grants, the endpoints.</li>
 * </ul>
 */
@Factory
@Requires(property = FacadeProperties.ENABLED, value = "true")
public class FacadeFactory {

    public static final String FACADE = "facade";

    private static final Logger LOG = LoggerFactory.getLogger(FacadeFactory.class);

    /** The resource server's settings, pointed at this server as its authorization server. */
    @Context
    @Singleton
    @Replaces(value = AuthSettings.class, factory = AuthenticationFactory.class)
    public AuthSettings facadeAuthSettings(AuthProperties properties,
                                           @Value("${" + AuthSettings.PUBLIC_BASE_URL_KEY + ":}") String publicBaseUrl) {
        AuthSettings resourceServer = AuthSettings.from(properties, publicBaseUrl);
        URI issuer = resourceServer.publicBaseUrl();
        List<String> problems = new ArrayList<>();
        if (properties.getAuthorizationServers() != null && !properties.getAuthorizationServers().isEmpty()
                && !resourceServer.authorizationServers().equals(List.of(issuer))) {
            problems.add(AuthProperties.PREFIX + ".authorization-servers must be unset (or " + issuer + ") in facade mode: "
                    + "this server is the clients' authorization server");
        }
        if (properties.getScopePrefix() != null && !properties.getScopePrefix().isBlank()) {
            problems.add(AuthProperties.PREFIX + ".scope-prefix must be empty in facade mode: clients ask this server "
                    + "for the scopes by their plain names (User.Read), not Entra's api://... names");
        }
        if (!problems.isEmpty()) {
            throw new InvalidAuthConfigurationException(problems);
        }
        return new AuthSettings(resourceServer.tenantId(), resourceServer.allowedTenants(), resourceServer.clientId(),
                resourceServer.appIdUri(), resourceServer.authorityHost(), resourceServer.jwksUri(),
                resourceServer.jwksTrustPem(), resourceServer.clockSkew(), resourceServer.jwksRefreshInterval(),
                resourceServer.jwksMinRefetchInterval(), resourceServer.jwksFetchTimeout(),
                resourceServer.verifiedTokenCacheSize(), resourceServer.algorithms(), resourceServer.scopes(),
                resourceServer.challengeScopes(), "", List.of(issuer), resourceServer.resourceName(),
                resourceServer.publicBaseUrl());
    }

    @Context
    @Singleton
    public FacadeSettings facadeSettings(FacadeProperties properties, AuthSettings auth) {
        return FacadeSettings.from(properties, auth);
    }

    @Singleton
    @Bean(preDestroy = "close")
    public RecordStore facadeRecordStore(FacadeSettings settings) {
        return switch (settings.store()) {
            case MEMORY -> {
                LOG.warn("The authorization-server facade keeps its clients, grants and signing keys in memory: "
                        + "a restart signs every user out (set entramcp.facade.store.type=file to keep them)");
                yield new InMemoryRecordStore(Clock.systemUTC());
            }
            case FILE -> FileRecordStore.open(settings.storeDirectory().orElseThrow(), Clock.systemUTC());
        };
    }

    @Singleton
    public SealedRecords facadeRecords(RecordStore store, FacadeSettings settings) {
        return new SealedRecords(store, settings.storeKeys(), Clock.systemUTC());
    }

    /** Opened at start: a store that cannot be read with the configured keys stops the server here. */
    @Context
    @Singleton
    public SigningKeyring facadeSigningKeys(SealedRecords records, FacadeSettings settings, AuthSettings auth) {
        return SigningKeyring.open(records, Clock.systemUTC(), settings.signingKeyRotation(),
                settings.accessTokenLifetime().plus(auth.clockSkew()));
    }

    /** The user's Entra tokens, sealed; the app wraps it in the domain's {@code UpstreamTokenBroker}. */
    @Singleton
    public UpstreamTokenStorePort facadeUpstreamTokenStore(SealedRecords records, FacadeSettings settings) {
        return new EncryptedUpstreamTokenStore(records, Clock.systemUTC(), settings.grantLifetime());
    }

    @Singleton
    public Grants facadeGrants(SealedRecords records, UpstreamTokenStorePort upstreamTokens, FacadeSettings settings) {
        return new Grants(records, upstreamTokens, Clock.systemUTC(), settings.grantLifetime(),
                settings.refreshTokenIdleLifetime());
    }

    /**
     * Where the domain's {@code UpstreamTokenBroker} hands the user as each upstream refresh
     * describes them: the grants take their current app roles. The app wires it into the broker.
     */
    @Singleton
    public UpdateSignedInUserPort facadeSignedInUsers(Grants grants) {
        return user -> grants.update(SignedInUser.of(user));
    }

    @Singleton
    public FacadeTokens facadeTokens(FacadeSettings settings, SigningKeyring keyring) {
        return new FacadeTokens(settings, keyring, Clock.systemUTC());
    }

    @Singleton
    public Clients facadeClients(SealedRecords records, FacadeSettings settings) {
        Optional<MetadataDocumentFetcher> documents = Optional.empty();
        FacadeSettings.CimdSettings cimd = settings.cimd();
        if (cimd.enabled()) {
            if (cimd.allowLoopback()) {
                LOG.warn("Client ID Metadata Documents may be fetched from loopback addresses: for demos and tests only");
            }
            documents = Optional.of(new MetadataDocumentFetcher(new AddressPolicy(cimd.allowLoopback()),
                    cimd.trustPem().map(FacadeFactory::trusting).orElseGet(FacadeFactory::defaultTls),
                    InetAddress::getAllByName, cimd.fetchTimeout(), cimd.maxDocumentBytes()));
        }
        return new Clients(records, documents, cimd.cacheTtl(), cimd.failureCacheTtl(), cimd.maxConcurrentFetches(),
                Clock.systemUTC());
    }

    @Singleton
    RequestLimits facadeRequestLimits(FacadeSettings settings) {
        return new RequestLimits(settings.limits(), System::nanoTime);
    }

    @Singleton
    @Requires(property = "entramcp.facade.registration.enabled", notEquals = "false")
    ClientRegistration facadeRegistration(Clients clients, FacadeSettings settings) {
        return new ClientRegistration(clients, Clock.systemUTC(), settings.registrationsPerMinute());
    }

    @Singleton
    AuthorizationFlow facadeAuthorizationFlow(FacadeSettings settings, Clients clients, SealedRecords records,
                                              UpstreamAuthorizationPort upstream, AuthSettings auth, RequestLimits limits) {
        return new AuthorizationFlow(settings, clients, records, upstream, upstreamOrigin(upstream, settings),
                auth.resourceName().orElse("this MCP server"), limits, Clock.systemUTC());
    }

    @Singleton
    TokenEndpoint facadeTokenEndpoint(FacadeSettings settings, Clients clients, SealedRecords records, Grants grants,
                                      FacadeTokens tokens, UpstreamTokenStorePort upstreamTokens,
                                      UpstreamTokenBroker upstreamSession) {
        return new TokenEndpoint(settings, clients, records, grants, tokens, upstreamTokens, upstreamSession,
                Clock.systemUTC());
    }

    @Singleton
    AuthorizationServerMetadata facadeMetadata(FacadeSettings settings) {
        return new AuthorizationServerMetadata(settings);
    }

    /** The facade's own issuer, trusted as strictly as Entra is in resource-server mode. */
    @Singleton
    @Named(FACADE)
    public TrustedIssuers facadeIssuers(FacadeSettings settings, SigningKeyring keyring) {
        List<TrustedIssuer> issuers = List.of(TrustedIssuer.of(settings.issuer(), Set.of(settings.resource().toString()),
                Set.of(JWSAlgorithm.RS256), keyring.verificationKeys(), settings.allowedTenants(),
                Optional.of(FacadeTokens.VERSION), false));
        return () -> issuers;
    }

    /** In facade mode the MCP endpoints accept the facade's tokens only: Entra's are not for this resource any more. */
    @Singleton
    @Named(AuthenticationFactory.ENTRA)
    @Replaces(value = TrustedIssuers.class, named = AuthenticationFactory.ENTRA, factory = AuthenticationFactory.class)
    public TrustedIssuers noEntraIssuers() {
        return List::of;
    }

    /**
     * The origin of the upstream's sign-in page, for the consent page's {@code form-action}: the
     * port builds its URL locally, so one made-up request tells.
     */
    private static String upstreamOrigin(UpstreamAuthorizationPort upstream, FacadeSettings settings) {
        String probe = RandomValues.token(32);
        URI url = upstream.authorizationUrl(UpstreamAuthorizationRequest.of(probe, probe, RandomValues.s256(probe),
                settings.callback(), settings.upstreamScopes()));
        return AuthorizationFlow.origin(url);
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("TLS is not available", e);
        }
    }

    private static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trustStore.setCertificateEntry("trusted-" + index++, certificate);
            }
            TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            managers.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, managers.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read trusted certificates from " + pem, e);
        }
    }
}
