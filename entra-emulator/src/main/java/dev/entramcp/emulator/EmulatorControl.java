package dev.entramcp.emulator;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The switches a test or a demo flips while the emulator runs, and what it observed. None of this exists in
 * Entra; it is how tests reach the situations (expiry, revocation, throttling, key rotation, forged tokens)
 * that a real tenant produces only by waiting or by accident.
 */
public final class EmulatorControl {

    private static final Set<Integer> FAILURE_STATUSES = Set.of(429, 500, 502, 503, 504);

    private final Settings settings;
    private final Directory directory;
    private final Switches switches;
    private final Records records;
    private final GrantStore store;
    private final SigningKeys keys;
    private final TokenMinter minter;

    EmulatorControl(Settings settings, Directory directory, Switches switches, Records records, GrantStore store,
                    SigningKeys keys, TokenMinter minter) {
        this.settings = settings;
        this.directory = directory;
        this.switches = switches;
        this.records = records;
        this.store = store;
        this.keys = keys;
        this.minter = minter;
    }

    /**
     * Completes every later device-code and interactive sign-in as this user, consent included, without a page;
     * {@code null} turns it off. {@code prompt=none} then succeeds as this user too.
     *
     * @throws IllegalArgumentException if there is no such user
     */
    public void autoApprove(String username) {
        if (username == null) {
            switches.autoApprove(null);
            return;
        }
        switches.autoApprove(requireUser(username).username());
    }

    public Optional<String> autoApprovedUser() {
        return switches.autoApprove();
    }

    /**
     * The next {@code times} Graph calls fail with {@code status} (429, or 500/502/503/504) before any token
     * check, with a {@code Retry-After} header of {@code retryAfter} rounded up to seconds. If it is null, a 429
     * says {@code Retry-After: 1} (Graph always tells a throttled client how long to wait), any other status none.
     */
    public void failGraph(int times, int status, Duration retryAfter) {
        if (times < 0) {
            throw new IllegalArgumentException("'times' must not be negative");
        }
        if (!FAILURE_STATUSES.contains(status)) {
            throw new IllegalArgumentException("'status' must be one of " + FAILURE_STATUSES);
        }
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("'retryAfter' must not be negative");
        }
        Duration delay = retryAfter == null && status == 429 ? Duration.ofSeconds(1) : retryAfter;
        switches.failGraph(times, new Switches.GraphFailure(status, delay));
    }

    /**
     * Revokes all the user's refresh tokens (Entra's {@code revokeSignInSessions}): a later refresh fails with
     * {@code invalid_grant} AADSTS50173. Access tokens already issued stay valid until they expire, as in Entra.
     *
     * @return how many live refresh-token families were revoked
     */
    public int revokeRefreshTokens(String username) {
        return store.revokeUser(requireUser(username).objectId());
    }

    /**
     * Takes away everything that let {@code clientId} act for the user: admin consent and pre-authorization
     * count no more for this user. Refresh and On-Behalf-Of for that user and app then fail with
     * {@code invalid_grant}, AADSTS65001, {@code suberror=consent_required} (msal4j:
     * {@code MsalInteractionRequiredException}) until the user consents again on the consent page (or through
     * a known client application, for an API).
     */
    public void withdrawConsent(String username, String clientId) {
        directory.withdraw(requireUser(username), clientId);
    }

    /**
     * Puts the user under a Conditional Access policy that demands multi-factor authentication which none of
     * their grants carries (the emulator has no MFA step). Until {@link #clearMfaRequirement} (which stands for
     * "the user did MFA"), a refresh and an On-Behalf-Of request for this user, by any client, answer 400 with
     * AADSTS50076 and a claims challenge {@code {"access_token":{"capolids":{"essential":true,"values":[id]}}}}:
     * a refresh as {@code invalid_grant}, {@code suberror=basic_action} (msal4j:
     * {@code MsalInteractionRequiredException}), an On-Behalf-Of as {@code interaction_required} (msal4j 1.26.1:
     * a plain {@code MsalServiceException}; it raises the interaction subclass for {@code invalid_grant} only).
     * Interactive sign-ins and the redemption of their codes still succeed: in Entra the user does MFA there.
     *
     * @return the id of the policy the claims challenge names (a new one at each call)
     * @throws IllegalArgumentException if there is no such user
     */
    public String requireMfa(String username) {
        String policyId = UUID.randomUUID().toString();
        switches.requireMfa(requireUser(username).objectId(), policyId);
        return policyId;
    }

    /**
     * Lifts {@link #requireMfa}: the user's refresh tokens (kept, not used up by the refusals) and access tokens
     * work again for refresh and On-Behalf-Of, as after the user satisfied the policy.
     *
     * @return whether the user was under such a requirement
     */
    public boolean clearMfaRequirement(String username) {
        return switches.clearMfaRequirement(requireUser(username).objectId());
    }

    /** Starts signing with a new key; the previous one stays in the JWKS for the configured grace period. */
    public String rotateSigningKey() {
        return keys.rotate(settings.signingKeyGracePeriod());
    }

    /** Starts signing with a new key; the previous one stays in the JWKS for {@code gracePeriod} (zero: gone now). */
    public String rotateSigningKey(Duration gracePeriod) {
        if (gracePeriod == null || gracePeriod.isNegative()) {
            throw new IllegalArgumentException("'gracePeriod' must not be negative");
        }
        return keys.rotate(gracePeriod);
    }

    public String currentSigningKeyId() {
        return keys.currentKid();
    }

    /** The lifetime of access tokens issued from now on; msal4j refreshes tokens within 5 minutes of expiry. */
    public void setAccessTokenLifetime(Duration lifetime) {
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("'lifetime' must be positive");
        }
        switches.accessTokenLifetime(lifetime);
    }

    public Duration accessTokenLifetime() {
        return switches.accessTokenLifetime();
    }

    public void registerRedirectUri(String clientId, String uri) {
        directory.update(clientId, app -> app.withAddedRedirectUri(uri));
    }

    /** Lets the app authenticate with client assertions signed by this certificate's key. */
    public void registerClientCertificate(String clientId, X509Certificate certificate) {
        directory.update(clientId, app -> app.withAddedCertificate(certificate));
    }

    /** Lets the app authenticate with tokens of an external issuer (workload identity federation). */
    public void registerFederatedCredential(String clientId, FederatedCredential credential) {
        directory.update(clientId, app -> app.withAddedFederatedCredential(credential));
    }

    public Counters counters() {
        return records.counters();
    }

    /** The mails sent through Graph, oldest first. */
    public List<SentMail> outbox() {
        return records.outbox();
    }

    /** The requests Graph received, oldest first. */
    public List<GraphRequest> graphRequests() {
        return records.graphRequests();
    }

    /** Forgets counters, outbox and Graph requests (for tests sharing one emulator). */
    public void clearRecords() {
        records.clear();
    }

    /**
     * Signs exactly these claims with the current signing key (header {@code typ=JWT}, {@code alg=RS256},
     * current {@code kid}). For tests of refusals: expired, not yet valid, wrong audience, foreign tenant, v1...
     */
    public String signJwt(Map<String, Object> claims) {
        return keys.sign(Map.of(), Objects.requireNonNull(claims, "'claims' must not be null"));
    }

    /**
     * Signs these claims under this header, merged over the default one. {@code alg=none} makes an unsigned
     * token; a {@code kid} of a retired key still in the JWKS signs with that key; any other {@code kid} (an
     * unknown one) is written as given while the current key signs.
     */
    public String signJwt(Map<String, Object> header, Map<String, Object> claims) {
        return keys.sign(Objects.requireNonNull(header, "'header' must not be null"),
                Objects.requireNonNull(claims, "'claims' must not be null"));
    }

    /**
     * Mints a delegated access token as the token endpoint would, without a flow and without consent checks.
     * Each argument is a scope ({@code User.Read}, {@code api://<id>/Mail.Send}, {@code <resource>/.default})
     * or a bare resource ({@code https://graph.microsoft.com}, {@code api://<id>}), which means its
     * {@code .default}. The token carries exactly the named scopes ({@code .default}: what the client may have).
     */
    public String issueAccessToken(String username, String clientId, String... resourceOrScopes) {
        return minter.sign(accessTokenClaims(username, clientId, resourceOrScopes));
    }

    /** The claims {@link #issueAccessToken} would sign, as a mutable map to alter and pass to {@link #signJwt}. */
    public Map<String, Object> accessTokenClaims(String username, String clientId, String... resourceOrScopes) {
        DemoUser user = requireUser(username);
        AppRegistration client = requireApp(clientId);
        ScopeRequest request = parse(resourceOrScopes);
        Set<String> scopes = new LinkedHashSet<>(request.scopes());
        if (request.dotDefault()) {
            scopes.addAll(directory.requestable(client, request.resource()));
            scopes.addAll(directory.consented(user, client, request.resource()));
        }
        return new LinkedHashMap<>(minter.userAccessClaims(user, client, request.resource(), scopes,
                client.publicClient() ? "0" : "1"));
    }

    /** Mints an app-only access token (client credentials) for {@code resource}, with the app's granted roles. */
    public String issueAppToken(String clientId, String resource) {
        AppRegistration client = requireApp(clientId);
        ScopeRequest request = parse(resource);
        Set<String> roles = client.applicationPermissions().getOrDefault(request.resource().appId(), Set.of());
        return minter.sign(minter.appAccessClaims(client, request.resource(), roles, "1"));
    }

    private ScopeRequest parse(String... resourceOrScopes) {
        if (resourceOrScopes == null || resourceOrScopes.length == 0) {
            throw new IllegalArgumentException("name at least one scope or resource");
        }
        StringBuilder scope = new StringBuilder();
        for (String item : resourceOrScopes) {
            boolean bareResource = directory.resourceNamed(item).isPresent();
            scope.append(' ').append(bareResource ? item + "/.default" : item);
        }
        try {
            return ScopeRequest.parse(scope.toString().trim(), directory);
        } catch (EntraError e) {
            throw new IllegalArgumentException(e.description(), e);
        }
    }

    private DemoUser requireUser(String username) {
        return directory.user(username).orElseThrow(() ->
                new IllegalArgumentException("no user '" + username + "' in the emulated tenant"));
    }

    private AppRegistration requireApp(String clientId) {
        return directory.app(clientId).orElseThrow(() ->
                new IllegalArgumentException("no app with client id " + clientId));
    }
}
