package dev.entramcp.adapter.entra;

import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.OnBehalfOfParameters;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UserAssertion;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
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
 * <p><b>A cache per principal.</b> msal4j keys OBO cache entries by a hash of the assertion only,
 * inside one shared in-memory cache. Here every principal ({@code tid}, {@code oid}) has its own
 * msal4j application, hence its own cache, so one user's entries can never be looked up for another,
 * and a user's entries go when the user does. Both dimensions are bounded: at most
 * {@link ConfidentialClientConfig#maxCachedPrincipals()} principals (least recently used dropped),
 * and per principal the entries of at most {@value #MAX_ASSERTIONS_PER_PRINCIPAL} distinct inbound
 * tokens (a client renews its token hourly; older ones are dropped with their cache).
 *
 * <p>Failures become domain failures: missing consent → {@link ToolFailure.ConsentRequired} with
 * the admin-consent URL; an expired or invalid assertion → {@link ToolFailure.SignInRequired};
 * 429/5xx → {@link ToolFailure.Throttled} / {@link ToolFailure.DownstreamUnavailable}.
 */
public final class EntraOnBehalfOfClient implements AcquireDownstreamTokenPort {

    static final int MAX_ASSERTIONS_PER_PRINCIPAL = 4;

    private final ConfidentialApplications applications;
    private final Map<PrincipalId, Partition> partitions;

    public EntraOnBehalfOfClient(ConfidentialClientConfig config) {
        this(config, Optional.empty());
    }

    /** For tests that must see or shape the HTTP traffic. */
    EntraOnBehalfOfClient(ConfidentialClientConfig config, Optional<IHttpClient> httpClient) {
        this.applications = new ConfidentialApplications(Objects.requireNonNull(config, "'config' must not be null"), httpClient);
        int max = config.maxCachedPrincipals();
        this.partitions = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<PrincipalId, Partition> eldest) {
                return size() > max;
            }
        };
    }

    @Override
    public AccessToken acquireToken(CallerIdentity caller, Set<String> scopes) {
        Objects.requireNonNull(caller, "'caller' must not be null");
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("'scopes' must name at least one downstream scope");
        }
        UserAssertion assertion = caller.assertion().orElseThrow(() -> new ToolFailureException(new ToolFailure.SignInRequired(
                "this request carries no user token that the server could exchange. Sign in again, then call the tool again.")));
        ConfidentialClientApplication application = partitionFor(caller.principal(), hash(assertion.value()));
        OnBehalfOfParameters parameters = OnBehalfOfParameters
                .builder(new LinkedHashSet<>(scopes), new com.microsoft.aad.msal4j.UserAssertion(assertion.value()))
                .build();
        try {
            IAuthenticationResult result = application.acquireToken(parameters).join();
            return AccessToken.of(result.accessToken(), result.expiresOnDate().toInstant());
        } catch (CompletionException | com.microsoft.aad.msal4j.MsalException e) {
            throw MsalFailures.toException(e, () -> applications.adminConsentUrl(scopes), "on-behalf-of");
        }
    }

    /** How many principals currently have a cache (for tests of the bound). */
    int cachedPrincipals() {
        synchronized (partitions) {
            return partitions.size();
        }
    }

    private ConfidentialClientApplication partitionFor(PrincipalId principal, String assertionHash) {
        synchronized (partitions) {
            Partition partition = partitions.get(principal);
            if (partition == null || partition.isFullWithout(assertionHash)) {
                partition = new Partition(applications.newApplication());
                partitions.put(principal, partition);
            }
            partition.assertionHashes.add(assertionHash);
            return partition.application;
        }
    }

    private static String hash(String assertion) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(assertion.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** One principal's msal4j application (its own token cache) and the inbound tokens it has seen. */
    private static final class Partition {
        private final ConfidentialClientApplication application;
        private final Set<String> assertionHashes = new LinkedHashSet<>();

        private Partition(ConfidentialClientApplication application) {
            this.application = application;
        }

        private boolean isFullWithout(String assertionHash) {
            return !assertionHashes.contains(assertionHash) && assertionHashes.size() >= MAX_ASSERTIONS_PER_PRINCIPAL;
        }
    }
}
