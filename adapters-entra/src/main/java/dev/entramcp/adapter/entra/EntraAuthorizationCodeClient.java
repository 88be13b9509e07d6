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
import dev.entramcp.domain.model.UpstreamAuthorizationRequest;
import dev.entramcp.domain.model.UpstreamSignIn;
import dev.entramcp.domain.model.UpstreamTokens;
import dev.entramcp.domain.port.out.UpstreamAuthorizationPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The authorization-server facade's way to Entra ({@link UpstreamAuthorizationPort}): the server
 * itself signs the person in with the authorization code flow + PKCE as the confidential client,
 * and keeps the Entra tokens. The facade makes every security value of the request (its own
 * {@code state}, {@code nonce} and PKCE verifier, see {@link UpstreamAuthorizationRequest}); this
 * adapter only speaks msal4j.
 *
 * <ol>
 *   <li>{@link #authorizationUrl} builds the authorize URL. msal4j always asks for
 *       {@code response_mode=form_post}: Entra posts {@code code} and {@code state} to the
 *       callback, which must therefore accept a cross-site {@code POST};</li>
 *   <li>{@link #redeem} exchanges the code with the verifier, checks the ID token's {@code nonce},
 *       and returns who signed in (with the app roles of the ID token) and the tokens;</li>
 *   <li>{@link #refresh} trades the refresh token for a new access token (and, when Entra rotates
 *       it, a new refresh token), and reads who the user is now from the new ID token (Entra sends
 *       one, since msal4j asks for {@code openid}): app roles assigned or removed since the sign-in
 *       show there.</li>
 * </ol>
 *
 * <p><b>Where the refresh token comes from.</b> msal4j deliberately hides refresh tokens: no result
 * exposes them, and its own silent flow uses them from its token cache. A server that keeps tokens
 * per user in its own encrypted store ({@code UpstreamTokenStorePort}) still needs the refresh token
 * itself. The documented, supported way to get it out is the token cache serialization (the
 * cross-MSAL cache format, meant for persistence): every redemption and refresh here runs on a fresh
 * msal4j application whose in-memory cache holds exactly that one user's tokens, and the refresh
 * token is read from its serialized form. It is then used with msal4j's
 * {@code acquireToken(RefreshTokenParameters)}, never with {@code acquireTokenSilently}, whose
 * refresh would lose a local authority's port (see the emulator notes). Nothing is cached in msal4j
 * between calls, so the store is the single source of truth, and deleting a user's entry there
 * forgets them.
 *
 * <p><b>Refusals.</b> As the port requires, a refresh the upstream refuses because the person must
 * act (refresh token expired or revoked, consent withdrawn) is a {@link ToolFailure.SignInRequired}:
 * the facade's answer is the same in each case, "sign in to this server again", and the grant ends.
 */
public final class EntraAuthorizationCodeClient implements UpstreamAuthorizationPort {

    private static final Logger LOG = LoggerFactory.getLogger(EntraAuthorizationCodeClient.class);
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "email", "offline_access");

    private final ConfidentialApplications applications;
    private final ConfidentialClientApplication urlBuilder;
    private final Set<String> redemptionScopes;

    /**
     * @param config the server's confidential client
     * @param scopes the downstream scopes asked for at sign-in (Graph's {@code User.Read},
     *               {@code Mail.Send}...); they are named again when the code is redeemed
     */
    public EntraAuthorizationCodeClient(ConfidentialClientConfig config, Set<String> scopes) {
        this(config, scopes, Optional.empty());
    }

    /** For tests that must see or shape the HTTP traffic. */
    EntraAuthorizationCodeClient(ConfidentialClientConfig config, Set<String> scopes, Optional<IHttpClient> httpClient) {
        this.applications = new ConfidentialApplications(Objects.requireNonNull(config, "'config' must not be null"), httpClient);
        this.redemptionScopes = requireScopes(scopes);
        this.urlBuilder = applications.newApplication();
    }

    @Override
    public URI authorizationUrl(UpstreamAuthorizationRequest request) {
        Objects.requireNonNull(request, "'request' must not be null");
        AuthorizationRequestUrlParameters parameters = AuthorizationRequestUrlParameters
                .builder(request.redirectUri().toString(), new LinkedHashSet<>(request.scopes()))
                .state(request.state())
                .nonce(request.nonce())
                .codeChallenge(request.codeChallenge())
                .codeChallengeMethod("S256")
                .build(); // response_mode=form_post: msal4j's default, and its only choice now that 'query' is deprecated
        try {
            return urlBuilder.getAuthorizationRequestUrl(parameters).toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("msal4j built an invalid authorize URL", e);
        }
    }

    /**
     * Redeems the authorization code that Entra posted to the callback (the facade has already
     * matched and consumed its {@code state}).
     *
     * @throws ToolFailureException {@link ToolFailure.SignInRequired} if the code or verifier is
     *                              refused or the ID token's nonce does not match; other failures as
     *                              mapped from Entra's answer
     */
    @Override
    public UpstreamSignIn redeem(String code, String codeVerifier, URI redirectUri, String expectedNonce) {
        Objects.requireNonNull(redirectUri, "'redirectUri' must not be null");
        if (code == null || code.isBlank()) {
            throw new ToolFailureException(new ToolFailure.SignInRequired("the sign-in returned no authorization code. Sign in again."));
        }
        if (codeVerifier == null || expectedNonce == null || expectedNonce.isBlank()) {
            throw new IllegalArgumentException("'codeVerifier' and 'expectedNonce' are required");
        }
        PkceVerifier verifier = new PkceVerifier(codeVerifier);
        ConfidentialClientApplication application = applications.newApplication();
        AuthorizationCodeParameters parameters = AuthorizationCodeParameters.builder(code, redirectUri)
                .scopes(new LinkedHashSet<>(redemptionScopes))
                .codeVerifier(verifier.value())
                .build();
        IAuthenticationResult result = run(() -> application.acquireToken(parameters).join(), redemptionScopes,
                "authorization code redemption");
        IdTokenClaims claims = IdTokenClaims.parse(result.idToken());
        if (!claims.nonce().equals(Optional.of(expectedNonce))) {
            LOG.warn("Authorization code redemption: the ID token's nonce does not match the request (tid={}, oid={})",
                    claims.tenantId(), claims.objectId());
            throw new ToolFailureException(new ToolFailure.SignInRequired(
                    "the sign-in response did not match the request. Sign in again."));
        }
        SortedSet<String> granted = resourceScopes(GrantedScopes.granted(result.scopes(), redemptionScopes));
        UpstreamTokens tokens = new UpstreamTokens(accessToken(result), refreshTokenIn(application), granted);
        return new UpstreamSignIn(claims.toCaller(applications.config().clientId(), granted), tokens);
    }

    /**
     * New tokens for the scopes of {@code current}, with its refresh token, and the user as the new
     * ID token describes them (current app roles). Entra may rotate the refresh token; when it does
     * not send a new one, the current one is kept.
     *
     * @throws ToolFailureException {@link ToolFailure.SignInRequired} if there is no refresh token,
     *                              Entra refuses it (expired, revoked, consent withdrawn), or its
     *                              answer has no readable ID token (the roles could not be re-read);
     *                              {@code Throttled} or {@code DownstreamUnavailable} when Entra is busy or down
     */
    @Override
    public UpstreamSignIn refresh(UpstreamTokens current) {
        Objects.requireNonNull(current, "'current' must not be null");
        RefreshToken refreshToken = current.refreshToken().orElseThrow(() -> new ToolFailureException(
                new ToolFailure.SignInRequired("the server holds no refresh token for you. Sign in again.")));
        Set<String> scopes = current.scopes().isEmpty() ? redemptionScopes : current.scopes();
        ConfidentialClientApplication application = applications.newApplication();
        RefreshTokenParameters parameters = RefreshTokenParameters.builder(new LinkedHashSet<>(scopes), refreshToken.value()).build();
        IAuthenticationResult result;
        try {
            result = run(() -> application.acquireToken(parameters).join(), scopes, "refresh");
        } catch (ToolFailureException refused) {
            if (refused.failure() instanceof ToolFailure.ConsentRequired) {
                throw new ToolFailureException(new ToolFailure.SignInRequired(
                        "the permission this server had to act for you was withdrawn. Sign in again."));
            }
            throw refused;
        }
        IdTokenClaims claims;
        try {
            claims = IdTokenClaims.parse(result.idToken());
        } catch (ToolFailureException unreadable) {
            LOG.warn("A refresh at Entra returned no readable ID token; the user's app roles cannot be re-read, so the "
                    + "sign-in ends");
            throw new ToolFailureException(new ToolFailure.SignInRequired(
                    "Microsoft Entra ID did not say who you are when renewing your sign-in. Sign in again."));
        }
        Optional<RefreshToken> rotated = refreshTokenIn(application);
        SortedSet<String> granted = resourceScopes(GrantedScopes.granted(result.scopes(), scopes));
        UpstreamTokens tokens = new UpstreamTokens(accessToken(result), Optional.of(rotated.orElse(refreshToken)), granted);
        return new UpstreamSignIn(claims.toCaller(applications.config().clientId(), granted), tokens);
    }

    private IAuthenticationResult run(Supplier<IAuthenticationResult> call, Set<String> scopes, String operation) {
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

    /**
     * The granted scopes without OpenID Connect's own ({@code openid}, {@code profile},
     * {@code email}, {@code offline_access}): msal4j adds them to every request, and Entra may echo
     * them, but they are not permissions on the downstream API and must not be asked for again by
     * name at the next refresh.
     */
    private static SortedSet<String> resourceScopes(SortedSet<String> granted) {
        SortedSet<String> resource = new TreeSet<>(granted);
        resource.removeAll(OIDC_SCOPES);
        return resource;
    }

    private static AccessToken accessToken(IAuthenticationResult result) {
        return AccessToken.of(result.accessToken(), result.expiresOnDate().toInstant());
    }

    private static Set<String> requireScopes(Set<String> scopes) {
        if (scopes == null || scopes.isEmpty() || scopes.stream().anyMatch(s -> s == null || s.isBlank())) {
            throw new IllegalArgumentException("'scopes' must name at least one non-blank scope");
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
    }
}
