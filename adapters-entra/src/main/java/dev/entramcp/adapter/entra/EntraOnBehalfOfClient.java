package dev.entramcp.adapter.entra;

import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.OnBehalfOfParameters;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UserAssertion;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * The remote scenario's token source: trades the caller's own inbound token for a downstream
 * (Graph) token with the On-Behalf-Of flow, as the server's confidential client.
 *
 * <p><b>No passthrough.</b> The inbound token ({@link CallerIdentity#assertion()}) is sent to one
 * place only: the Entra token endpoint, as the OBO {@code assertion}. What comes back has the
 * downstream's audience.
 *
 * <p><b>A cache per principal, bounded.</b> msal4j keeps OBO results in one in-memory cache per
 * application, keyed by a hash of the assertion only, and never evicts: in a server that would grow
 * with every user and every hourly token renewal, with all users' entries side by side. So each
 * exchange here runs on a fresh msal4j application (nothing stays in msal4j), and the results go to
 * an {@link OnBehalfOfTokenCache} partitioned by ({@code tid}, {@code oid}), bounded in principals
 * ({@link ConfidentialClientConfig#maxCachedPrincipals()}) and in entries per principal. (A second
 * reason: msal4j 1.26's own application-token lookups miss whenever the authority has an explicit
 * port, as a local stand-in's does, so its cache could not even be tested here.)
 *
 * <p><b>Multi-tenant: the caller's own tenant.</b> The exchange is asked of the authority of the
 * tenant that issued the inbound token ({@code tid}), not of the server's home tenant: Entra only
 * accepts an assertion at its issuing tenant, and the downstream token must come from the tenant
 * where the user's consent and Conditional Access apply. The admin-consent URL of a failure names
 * that tenant too. Only the tenants of {@link ConfidentialClientConfig#tenants()} are served (the
 * resource server lets in no others); nothing is kept per tenant, and the cache above is already
 * partitioned by ({@code tid}, {@code oid}).
 *
 * <p>Failures become domain failures: missing consent → {@link ToolFailure.ConsentRequired} with
 * the admin-consent URL; an expired or invalid assertion → {@link ToolFailure.SignInRequired};
 * 429/5xx → {@link ToolFailure.Throttled} / {@link ToolFailure.DownstreamUnavailable}.
 */
public final class EntraOnBehalfOfClient implements AcquireDownstreamTokenPort {

    private static final Logger LOG = LoggerFactory.getLogger(EntraOnBehalfOfClient.class);

    /** A cached token is used only while it stays valid this much longer (msal4j uses the same margin). */
    static final Duration MINIMUM_VALIDITY = Duration.ofMinutes(5);

    private final ConfidentialApplications applications;
    private final OnBehalfOfTokenCache cache;
    private final Clock clock;

    public EntraOnBehalfOfClient(ConfidentialClientConfig config) {
        this(config, Optional.empty(), Clock.systemUTC());
    }

    /** For tests that must see or shape the HTTP traffic. */
    EntraOnBehalfOfClient(ConfidentialClientConfig config, Optional<IHttpClient> httpClient) {
        this(config, httpClient, Clock.systemUTC());
    }

    EntraOnBehalfOfClient(ConfidentialClientConfig config, Optional<IHttpClient> httpClient, Clock clock) {
        this.applications = new ConfidentialApplications(Objects.requireNonNull(config, "'config' must not be null"), httpClient);
        this.cache = new OnBehalfOfTokenCache(config.maxCachedPrincipals(), MINIMUM_VALIDITY);
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    }

    @Override
    public AccessToken acquireToken(CallerIdentity caller, Set<String> scopes) {
        Objects.requireNonNull(caller, "'caller' must not be null");
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("'scopes' must name at least one downstream scope");
        }
        UserAssertion assertion = caller.assertion().orElseThrow(() -> new ToolFailureException(new ToolFailure.SignInRequired(
                "this request carries no user token that the server could exchange. Sign in again, then call the tool again.")));
        String tenant = caller.principal().tenantId();
        if (!applications.config().allowsTenant(tenant)) {
            LOG.error("Entra on-behalf-of refused for a caller of tenant {}: it is not among the tenants this server "
                    + "exchanges tokens for {}. Configure the same tenants as the resource server's allowed-tenants.",
                    tenant, applications.config().tenants());
            throw new ToolFailureException(new ToolFailure.DownstreamUnavailable(
                    "This server is not configured to act for users of your organisation's tenant."));
        }
        Optional<AccessToken> cached = cache.get(caller.principal(), assertion.value(), scopes, clock.instant());
        if (cached.isPresent()) {
            return cached.get();
        }
        OnBehalfOfParameters parameters = OnBehalfOfParameters
                .builder(new LinkedHashSet<>(scopes), new com.microsoft.aad.msal4j.UserAssertion(assertion.value()))
                .skipCache(true) // a fresh application has nothing cached; our own cache is above
                .build();
        try {
            IAuthenticationResult result = applications.newApplicationForTenant(tenant).acquireToken(parameters).join();
            AccessToken token = AccessToken.of(result.accessToken(), result.expiresOnDate().toInstant());
            cache.put(caller.principal(), assertion.value(), scopes, token);
            return token;
        } catch (CompletionException | com.microsoft.aad.msal4j.MsalException e) {
            throw MsalFailures.toException(e, () -> applications.adminConsentUrlForTenant(tenant, scopes), "on-behalf-of");
        }
    }

    /** How many principals currently have cached tokens (for tests of the bound). */
    int cachedPrincipals() {
        return cache.principals();
    }
}
