package dev.entramcp.adapter.http.facade;

import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.RefreshToken;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UpstreamAuthorizationRequest;
import dev.entramcp.domain.model.UpstreamSignIn;
import dev.entramcp.domain.model.UpstreamTokens;
import dev.entramcp.domain.port.out.UpstreamAuthorizationPort;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Entra as the facade sees it through its port, in memory: it remembers each authorization request
 * by its state, lets a test sign a user in at the URL the facade redirected to (as the browser and
 * the person would), and checks at redemption what Entra checks (the PKCE verifier against the
 * challenge, the redirect URI, the nonce it puts in the ID token). Refresh can be refused per
 * user, as a revoked refresh token or withdrawn consent would; it describes the user as the
 * directory does now, so a test can change a user's app roles between sign-in and refresh.
 */
public final class FakeUpstream implements UpstreamAuthorizationPort {

    public static final String ORIGIN = "https://upstream.test";
    public static final String SERVER_CLIENT_ID = "0e0e0e0e-1111-2222-3333-444444444444";

    private record Issued(UpstreamAuthorizationRequest request, CallerIdentity user) {
    }

    private final Map<String, UpstreamAuthorizationRequest> requests = new ConcurrentHashMap<>();
    private final Map<String, CallerIdentity> users = new ConcurrentHashMap<>();
    private final Map<String, Issued> codes = new ConcurrentHashMap<>();
    private final Set<String> refusedRefreshTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicInteger refreshes = new AtomicInteger();
    private final AtomicReference<Duration> accessTokenLifetime = new AtomicReference<>(Duration.ofHours(1));
    private final AtomicReference<Set<String>> granted = new AtomicReference<>(Set.of("User.Read", "Mail.Send"));

    @Override
    public URI authorizationUrl(UpstreamAuthorizationRequest request) {
        requests.put(request.state(), request);
        return URI.create(ORIGIN + "/tenant/oauth2/v2.0/authorize?client_id=" + SERVER_CLIENT_ID + "&state=" + request.state());
    }

    /** The person signs in as {@code user} at {@code authorizeUrl}; returns what Entra posts back (code, state). */
    public Map<String, String> signIn(URI authorizeUrl, CallerIdentity user) {
        String state = query(authorizeUrl, "state");
        UpstreamAuthorizationRequest request = requests.remove(state);
        if (request == null) {
            throw new IllegalStateException("no authorization request with this state");
        }
        String code = "upstream-code-" + counter.incrementAndGet();
        codes.put(code, new Issued(request, user));
        return Map.of("code", code, "state", state);
    }

    /** The last request the facade sent the browser with, by state. */
    public UpstreamAuthorizationRequest requestFor(URI authorizeUrl) {
        return requests.get(query(authorizeUrl, "state"));
    }

    @Override
    public UpstreamSignIn redeem(String code, String codeVerifier, URI redirectUri, String expectedNonce) {
        Issued issued = codes.remove(code);
        if (issued == null || !RandomValues.verifierMatches(codeVerifier, issued.request().codeChallenge())
                || !issued.request().redirectUri().equals(redirectUri) || !issued.request().nonce().equals(expectedNonce)) {
            throw new ToolFailureException(new ToolFailure.SignInRequired("the code was refused. Sign in again."));
        }
        CallerIdentity user = issued.user();
        users.put(user.principal().objectId(), user);
        return new UpstreamSignIn(asSignedIn(user, granted.get()), newTokens(user.principal().objectId(), granted.get()));
    }

    /** New tokens, and the user as the directory describes them now (their current roles). */
    @Override
    public UpstreamSignIn refresh(UpstreamTokens current) {
        refreshes.incrementAndGet();
        String refreshToken = current.refreshToken().map(RefreshToken::value).orElse("");
        for (String refused : refusedRefreshTokens) {
            if (refreshToken.startsWith(refused)) {
                throw new ToolFailureException(new ToolFailure.SignInRequired("the refresh token was revoked. Sign in again."));
            }
        }
        String objectId = refreshToken.substring(0, Math.max(0, refreshToken.indexOf('/')));
        CallerIdentity user = users.get(objectId);
        if (user == null) {
            throw new ToolFailureException(new ToolFailure.SignInRequired("no such user. Sign in again."));
        }
        return new UpstreamSignIn(asSignedIn(user, current.scopes()), newTokens(objectId, current.scopes()));
    }

    /** An administrator changes the user's app role assignments: later sign-ins and refreshes say so. */
    public void assignRoles(String objectId, String... roles) {
        users.computeIfPresent(objectId, (oid, user) -> CallerIdentity.user(user.principal(), user.username(),
                user.displayName(), user.clientAppId(), user.scopes(), Set.of(roles)));
    }

    private static CallerIdentity asSignedIn(CallerIdentity user, Set<String> granted) {
        return CallerIdentity.user(user.principal(), user.username(), user.displayName(), SERVER_CLIENT_ID, granted,
                user.roles());
    }

    /** Refresh tokens of this user (by object id) are refused from now on. */
    public void revokeRefreshTokensOf(String objectId) {
        refusedRefreshTokens.add(objectId + "/");
    }

    /** Lifetime of access tokens issued from now on (negative: already expired). */
    public void accessTokenLifetime(Duration lifetime) {
        accessTokenLifetime.set(lifetime);
    }

    /** What the next sign-ins are granted. */
    public void grant(Set<String> scopes) {
        granted.set(Set.copyOf(scopes));
    }

    public int refreshes() {
        return refreshes.get();
    }

    /** Back to a fresh state (tests share one server). */
    public void reset() {
        refusedRefreshTokens.clear();
        accessTokenLifetime.set(Duration.ofHours(1));
        granted.set(Set.of("User.Read", "Mail.Send"));
    }

    private UpstreamTokens newTokens(String objectId, Set<String> scopes) {
        int n = counter.incrementAndGet();
        return UpstreamTokens.of(AccessToken.of("entra-access-" + objectId + "-" + n, Instant.now().plus(accessTokenLifetime.get())),
                RefreshToken.of(objectId + "/entra-refresh-" + n), scopes);
    }

    private static String query(URI uri, String name) {
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException("no " + name + " in the URL");
    }
}
