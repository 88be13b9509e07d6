package dev.entramcp.adapter.entra;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.RefreshTokenParameters;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.RefreshToken;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UpstreamTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.CompletionException;

/**
 * The authorization-server facade's way to Entra: the server itself signs the person in with the
 * authorization code flow + PKCE as the confidential client, and keeps the Entra tokens.
 *
 * <ol>
 *   <li>{@link #authorizationRequest} builds the authorize URL with a fresh {@code state},
 *       {@code nonce} and S256 code challenge; the server keeps the returned
 *       {@link UpstreamAuthorization} (with the verifier) under its {@code state};</li>
 *   <li>{@link #redeem} exchanges the code with the verifier, checks the ID token's {@code nonce}, and
 *       returns who signed in and the tokens;</li>
 *   <li>{@link #refresh} trades the refresh token for a new access token (and a new refresh token).</li>
 * </ol>
 *
 * <p><b>Where the refresh token comes from.</b> msal4j deliberately hides refresh tokens: no result
 * exposes them, and its own silent flow uses them from its token cache. A server that keeps tokens
 * per user in its own encrypted store ({@code UpstreamTokenStorePort}) still needs the refresh token
 * itself. The documented, supported way to get it out is the token cache serialization (the
 * cross-MSAL cache format, meant for persistence): every redemption and refresh here runs on a fresh
 * msal4j application whose in-memory cache holds exactly that one user's tokens, and the refresh
 * token is read from its serialized form. It is then used with msal4j's
 * {@code acquireToken(RefreshTokenParameters)}. Nothing is cached in msal4j between calls, so the
 * store is the single source of truth, and deleting a user's entry there forgets them.
 */
public final class EntraAuthorizationCodeClient {

    private static final Logger LOG = LoggerFactory.getLogger(EntraAuthorizationCodeClient.class);

    private final ConfidentialApplications applications;
    private final ConfidentialClientApplication urlBuilder;

    public EntraAuthorizationCodeClient(ConfidentialClientConfig config) {
        this(config, Optional.empty());
    }

    /** For tests that must see or shape the HTTP traffic. */
    EntraAuthorizationCodeClient(ConfidentialClientConfig config, Optional<IHttpClient> httpClient) {
        this.applications = new ConfidentialApplications(Objects.requireNonNull(config, "'config' must not be null"), httpClient);
        this.urlBuilder = applications.newApplication();
    }

    /**
     * A new authorization request: the URL to send the browser to, and what the server must keep
     * until the callback. The callback receives {@code code} and {@code state} as a form POST.
     */
    public UpstreamAuthorization authorizationRequest(URI redirectUri, Set<String> scopes) {
        Objects.requireNonNull(redirectUri, "'redirectUri' must not be null");
        requireScopes(scopes);
        String state = PkceVerifier.randomToken();
        String nonce = PkceVerifier.randomToken();
        PkceVerifier verifier = PkceVerifier.random();
        AuthorizationRequestUrlParameters parameters = AuthorizationRequestUrlParameters
                .builder(redirectUri.toString(), new LinkedHashSet<>(scopes))
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier.s256Challenge())
                .codeChallengeMethod("S256")
                .build(); // response_mode=form_post: msal4j's default, and its only choice now that 'query' is deprecated
        try {
            URI url = urlBuilder.getAuthorizationRequestUrl(parameters).toURI();
            return new UpstreamAuthorization(url, state, nonce, verifier, redirectUri, scopes);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("msal4j built an invalid authorize URL", e);
        }
    }

    /**
     * Redeems the authorization code of the callback that matched {@code request} (the caller has
     * already matched and consumed its {@code state}).
     *
     * @throws ToolFailureException {@link ToolFailure.SignInRequired} if the code or verifier is
     *                              refused or the ID token's nonce does not match; other failures as
     *                              mapped from Entra's answer
     */
    public UpstreamSignIn redeem(UpstreamAuthorization request, String code) {
        Objects.requireNonNull(request, "'request' must not be null");
        if (code == null || code.isBlank()) {
            throw new ToolFailureException(new ToolFailure.SignInRequired("the sign-in returned no authorization code. Sign in again."));
        }
        ConfidentialClientApplication application = applications.newApplication();
        AuthorizationCodeParameters parameters = AuthorizationCodeParameters.builder(code, request.redirectUri())
                .scopes(new LinkedHashSet<>(request.scopes()))
                .codeVerifier(request.verifier().value())
                .build();
        IAuthenticationResult result = run(() -> application.acquireToken(parameters).join(), request.scopes(),
                "authorization code redemption");
        IdTokenClaims claims = IdTokenClaims.parse(result.idToken());
        if (!claims.nonce().equals(Optional.of(request.nonce()))) {
            LOG.warn("Authorization code redemption: the ID token's nonce does not match the request (tid={}, oid={})",
                    claims.tenantId(), claims.objectId());
            throw new ToolFailureException(new ToolFailure.SignInRequired(
                    "the sign-in response did not match the request. Sign in again."));
        }
        SortedSet<String> granted = GrantedScopes.granted(result.scopes(), request.scopes());
        UpstreamTokens tokens = new UpstreamTokens(accessToken(result), refreshTokenIn(application), granted);
        return new UpstreamSignIn(claims.toCaller(applications.config().clientId(), granted), tokens);
    }

    /**
     * A new access token (and, when Entra rotates it, a new refresh token) from a refresh token.
     *
     * @throws ToolFailureException {@link ToolFailure.SignInRequired} if the refresh token is expired
     *                              or revoked, {@link ToolFailure.ConsentRequired} if consent was withdrawn
     */
    public UpstreamTokens refresh(RefreshToken refreshToken, Set<String> scopes) {
        Objects.requireNonNull(refreshToken, "'refreshToken' must not be null");
        requireScopes(scopes);
        ConfidentialClientApplication application = applications.newApplication();
        RefreshTokenParameters parameters = RefreshTokenParameters.builder(new LinkedHashSet<>(scopes), refreshToken.value()).build();
        IAuthenticationResult result = run(() -> application.acquireToken(parameters).join(), scopes, "refresh");
        Optional<RefreshToken> rotated = refreshTokenIn(application);
        return new UpstreamTokens(accessToken(result), Optional.of(rotated.orElse(refreshToken)),
                GrantedScopes.granted(result.scopes(), scopes));
    }

    private IAuthenticationResult run(java.util.function.Supplier<IAuthenticationResult> call, Set<String> scopes, String operation) {
        try {
            return call.get();
        } catch (CompletionException | MsalException e) {
            throw MsalFailures.toException(e, () -> applications.adminConsentUrl(scopes), operation);
        }
    }

    /** The refresh token in a fresh application's serialized cache (see the class comment). */
    private Optional<RefreshToken> refreshTokenIn(ConfidentialClientApplication application) {
        try {
            Map<String, Object> cache = JSONObjectUtils.parse(application.tokenCache().serialize());
            Map<String, Object> refreshTokens = JSONObjectUtils.getJSONObject(cache, "RefreshToken");
            if (refreshTokens == null) {
                return Optional.empty();
            }
            return refreshTokens.values().stream()
                    .filter(Map.class::isInstance)
                    .map(entry -> (Map<?, ?>) entry)
                    .filter(entry -> applications.config().clientId().equals(entry.get("client_id")))
                    .map(entry -> entry.get("secret"))
                    .filter(String.class::isInstance)
                    .map(secret -> RefreshToken.of((String) secret))
                    .findFirst();
        } catch (ParseException e) {
            LOG.warn("msal4j's serialized token cache could not be read; continuing without a refresh token");
            return Optional.empty();
        }
    }

    private static AccessToken accessToken(IAuthenticationResult result) {
        return AccessToken.of(result.accessToken(), result.expiresOnDate().toInstant());
    }

    private static void requireScopes(Set<String> scopes) {
        if (scopes == null || scopes.isEmpty() || scopes.stream().anyMatch(s -> s == null || s.isBlank())) {
            throw new IllegalArgumentException("'scopes' must name at least one non-blank scope");
        }
    }
}
