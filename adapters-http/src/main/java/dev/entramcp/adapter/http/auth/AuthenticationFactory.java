package dev.entramcp.adapter.http.auth;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the authentication beans from configuration, eagerly ({@code @Context}), so that a bad
 * configuration stops the server at start-up with a message saying what to set, and the JWKS is
 * fetched before the first request.
 *
 * <ul>
 *   <li>{@link AuthSettings}: the validated {@code entramcp.auth.*} and
 *       {@code entramcp.http.public-base-url}.</li>
 *   <li>{@link JwksKeySource} named {@code entra}: the tenant's keys. Entra signs the tokens of
 *       every tenant with the same keys, so one key source serves the whole allow-list.</li>
 *   <li>{@link TrustedIssuers} named {@code entra}: one {@link TrustedIssuer} per allowed tenant.
 *       The facade contributes its own {@code TrustedIssuers} bean; to accept only the facade's
 *       tokens, it replaces this one ({@code @Replaces(named = "entra")}).</li>
 *   <li>{@link BearerTokenVerifier}: trusts the union of every {@code TrustedIssuers} bean.</li>
 *   <li>{@link Challenges}: the resource metadata URL and the scope prefix
 *       ({@code entramcp.auth.scope-prefix}, by default {@code app-id-uri + "/"}).</li>
 *   <li>{@link ProtectedResourceMetadata}: the PRM document.</li>
 * </ul>
 */
@Factory
public class AuthenticationFactory {

    public static final String ENTRA = "entra";

    @Context
    @Singleton
    public AuthSettings authSettings(AuthProperties properties,
                                     @Value("${" + AuthSettings.PUBLIC_BASE_URL_KEY + ":}") String publicBaseUrl) {
        return AuthSettings.from(properties, publicBaseUrl);
    }

    @Context
    @Singleton
    @Named(ENTRA)
    @Bean(preDestroy = "close")
    public JwksKeySource entraSigningKeys(AuthSettings settings) {
        HttpJwksFetcher fetcher = HttpJwksFetcher.create(settings.jwksUri(), settings.jwksTrustPem(),
                settings.jwksFetchTimeout());
        return new JwksKeySource(settings.jwksUri().toString(), fetcher, Clock.systemUTC(),
                settings.jwksRefreshInterval(), settings.jwksMinRefetchInterval()).start();
    }

    @Singleton
    @Named(ENTRA)
    public TrustedIssuers entraIssuers(AuthSettings settings, @Named(ENTRA) JwksKeySource keys) {
        List<TrustedIssuer> issuers = settings.allowedTenants().stream()
                .map(tenant -> TrustedIssuer.entraTenant(settings.authorityHost(), tenant, settings.audiences(),
                        settings.algorithms(), keys))
                .toList();
        return () -> issuers;
    }

    @Context
    @Singleton
    public BearerTokenVerifier bearerTokenVerifier(List<TrustedIssuers> groups, AuthSettings settings) {
        List<TrustedIssuer> issuers = new ArrayList<>();
        groups.forEach(group -> issuers.addAll(group.trustedIssuers()));
        return new BearerTokenVerifier(issuers, settings.clockSkew(), Clock.systemUTC(),
                settings.verifiedTokenCacheSize());
    }

    @Singleton
    public Challenges challenges(AuthSettings settings) {
        return new Challenges(settings.resourceMetadataUrl(), settings.scopePrefix(),
                settings.requestableChallengeScopes());
    }

    @Singleton
    public ProtectedResourceMetadata protectedResourceMetadata(AuthSettings settings) {
        return ProtectedResourceMetadata.from(settings);
    }
}
