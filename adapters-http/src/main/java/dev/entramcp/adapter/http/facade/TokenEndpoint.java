package dev.entramcp.adapter.http.facade;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entramcp.adapter.http.facade.store.RecordKeys;
import dev.entramcp.adapter.http.facade.store.SealedRecords;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.RefreshToken;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UpstreamTokens;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;
import dev.entramcp.domain.service.UpstreamTokenBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code /token} and {@code /revoke}: client authentication suited to each client, the
 * authorization code grant with PKCE, refresh-token rotation with replay detection, and
 * revocation (RFC 7009).
 *
 * <h2>Client authentication</h2>
 * A client authenticates the way it registered, and only that way: {@code client_secret_basic}
 * (HTTP Basic, parsed here: id and secret are form-encoded before base64, RFC 6749 section 2.3.1),
 * {@code client_secret_post}, or {@code none} (a public client sends its {@code client_id}, and
 * PKCE is what binds the code to it). A secret is compared with its keyed hash in constant time.
 *
 * <h2>Codes</h2>
 * A code is taken from the store when presented, whatever happens next: single use, even for a
 * failed attempt. It is valid for {@code authorization-code-lifetime} after it was issued, as its
 * sealed record says, whatever the store's own expiry says. It must be presented by the client it was issued to, with the same
 * {@code redirect_uri} and the verifier of its challenge. A code presented again revokes the grant it
 * created (RFC 6749 section 4.1.2: the code may have been stolen), even while the first
 * redemption is still running: the redemption is recorded before the code is taken, and checked
 * again once the grant exists (see {@link #replayed}).
 */
final class TokenEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
    private static final Duration REDEEMED_CODE_MEMORY = Duration.ofMinutes(10);

    private final FacadeSettings settings;
    private final Clients clients;
    private final SealedRecords records;
    private final Grants grants;
    private final FacadeTokens tokens;
    private final UpstreamTokenStorePort upstreamTokens;
    private final UpstreamTokenBroker upstreamSession;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    TokenEndpoint(FacadeSettings settings, Clients clients, SealedRecords records, Grants grants, FacadeTokens tokens,
                  UpstreamTokenStorePort upstreamTokens, UpstreamTokenBroker upstreamSession, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "'settings' must not be null");
        this.clients = Objects.requireNonNull(clients, "'clients' must not be null");
        this.records = Objects.requireNonNull(records, "'records' must not be null");
        this.grants = Objects.requireNonNull(grants, "'grants' must not be null");
        this.tokens = Objects.requireNonNull(tokens, "'tokens' must not be null");
        this.upstreamTokens = Objects.requireNonNull(upstreamTokens, "'upstreamTokens' must not be null");
        this.upstreamSession = Objects.requireNonNull(upstreamSession, "'upstreamSession' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    }

    /** {@code POST /token}; returns the token response as JSON, or throws the refusal. */
    String token(Form form, Optional<String> authorization) {
        String grantType = form.required("grant_type");
        RegisteredClient client = authenticate(form, authorization);
        return switch (grantType) {
            case RegisteredClient.AUTHORIZATION_CODE -> redeemCode(form, client);
            case RegisteredClient.REFRESH_TOKEN -> refresh(form, client);
            default -> throw new OAuthError(400, OAuthError.UNSUPPORTED_GRANT_TYPE,
                    "grant_type must be authorization_code or refresh_token");
        };
    }

    /** {@code POST /revoke} (RFC 7009): ends the grant of a token of this client; an unknown token is no error. */
    void revoke(Form form, Optional<String> authorization) {
        RegisteredClient client = authenticate(form, authorization);
        String token = form.required("token");
        form.single("token_type_hint");
        Optional<Grant> grant;
        if (token.startsWith("rt1.")) {
            grant = grants.findByRefreshToken(token, client.clientId());
        } else {
            grant = tokens.verifyOwn(token)
                    .filter(own -> own.clientId().equals(client.clientId()))
                    .flatMap(own -> grants.find(own.grantId()));
        }
        grant.ifPresent(found -> {
            grants.revoke(found, false);
            LOG.info("Client {} revoked its grant {} for {}", client.clientId(), found.id(), found.principal().asKey());
        });
    }

    private String redeemCode(Form form, RegisteredClient client) {
        String code = form.required("code");
        String redirectUri = form.required("redirect_uri");
        String verifier = form.required("code_verifier");
        Optional<String> resource = form.single("resource");
        String key = RecordKeys.hashed(code);
        if (records.read(PendingRecords.CODES, key, PendingRecords.Code.class).isEmpty()) {
            if (records.read(PendingRecords.REDEEMED_CODES, key, PendingRecords.RedeemedCode.class).isPresent()) {
                throw replayed(key, client);
            }
            throw OAuthError.invalidGrant("the code is unknown or has expired");
        }
        String grantId = Grants.newId();
        if (!records.replace(PendingRecords.REDEEMED_CODES, key, Optional.empty(), new PendingRecords.RedeemedCode(grantId, false),
                Optional.of(clock.instant().plus(REDEEMED_CODE_MEMORY)))) {
            throw replayed(key, client);
        }
        Optional<PendingRecords.Code> pending = records.take(PendingRecords.CODES, key, PendingRecords.Code.class);
        if (pending.isEmpty()) {
            throw OAuthError.invalidGrant("the code is unknown or has expired");
        }
        PendingRecords.Code issued = pending.get();
        if (!clock.instant().isBefore(Instant.ofEpochMilli(issued.issuedAt()).plus(settings.authorizationCodeLifetime()))) {
            throw OAuthError.invalidGrant("the code is unknown or has expired");
        }
        PendingRecords.Request request = issued.request();
        if (!request.clientId().equals(client.clientId())) {
            LOG.warn("Client {} presented a code issued to another client; the code is spent", client.clientId());
            throw OAuthError.invalidGrant("the code was not issued to this client");
        }
        if (!request.redirectUri().equals(redirectUri)) {
            throw OAuthError.invalidGrant("redirect_uri does not match the authorization request");
        }
        if (!RandomValues.verifierMatches(verifier, request.codeChallenge())) {
            throw OAuthError.invalidGrant("code_verifier does not match the code_challenge");
        }
        if (resource.isPresent() && !resource.get().equals(settings.resource().toString())) {
            throw new OAuthError(400, OAuthError.INVALID_TARGET, "resource must be " + settings.resource());
        }
        SignedInUser user = SignedInUser.of(issued.tenantId(), issued.objectId(), issued.username(), issued.displayName(),
                issued.roles());
        upstreamTokens.save(user.principal(), new UpstreamTokens(
                AccessToken.of(issued.upstreamAccessToken(), Instant.ofEpochMilli(issued.upstreamExpiresAt())),
                Optional.ofNullable(issued.upstreamRefreshToken()).map(RefreshToken::of), new TreeSet<>(issued.upstreamScopes())));
        Grants.Issued grant = grants.create(grantId, user, client.clientId(), new TreeSet<>(issued.grantedScopes()));
        grants.update(user); // this newest sign-in's roles hold for the user's other grants too
        boolean presentedAgain = records.read(PendingRecords.REDEEMED_CODES, key, PendingRecords.RedeemedCode.class)
                .map(PendingRecords.RedeemedCode::replayed).orElse(true);
        if (presentedAgain) {
            LOG.warn("A code was presented again while client {} redeemed it: revoking grant {}", client.clientId(), grantId);
            grants.revoke(grant.grant(), true);
            throw OAuthError.invalidGrant("the code was presented twice; the tokens issued for it are revoked");
        }
        return response(grant.grant(), grant.grant().scopes(), client.mayRefresh() ? Optional.of(grant.refreshToken()) : Optional.empty());
    }

    /**
     * A code presented again, whether its first redemption is over or still running: the record of
     * its redemption is marked (so that a redemption still running revokes what it creates), then
     * the grant it created, if it exists already, is revoked. In that order, and the redemption
     * creates its grant before it reads the mark, so whichever way the two interleave, no grant of
     * a code presented twice survives.
     */
    private OAuthError replayed(String key, RegisteredClient client) {
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<SealedRecords.Versioned<PendingRecords.RedeemedCode>> read = records.readVersioned(
                    PendingRecords.REDEEMED_CODES, key, PendingRecords.RedeemedCode.class);
            if (read.isEmpty()) {
                break;
            }
            PendingRecords.RedeemedCode redeemed = read.get().value();
            if (redeemed.replayed() || records.replace(PendingRecords.REDEEMED_CODES, key, read,
                    new PendingRecords.RedeemedCode(redeemed.grantId(), true),
                    Optional.of(clock.instant().plus(REDEEMED_CODE_MEMORY)))) {
                grants.find(redeemed.grantId()).ifPresent(grant -> {
                    LOG.warn("A redeemed code was presented again (client {}): revoking grant {}", client.clientId(), grant.id());
                    grants.revoke(grant, true);
                });
                break;
            }
        }
        return OAuthError.invalidGrant("the code was already used; the tokens issued for it are revoked");
    }

    private String refresh(Form form, RegisteredClient client) {
        if (!client.mayRefresh()) {
            throw new OAuthError(400, OAuthError.UNAUTHORIZED_CLIENT, "this client did not register the refresh_token grant");
        }
        String refreshToken = form.required("refresh_token");
        Optional<String> scope = form.single("scope");
        SortedSet<String> narrowed = null;
        if (scope.isPresent()) {
            Grant current = grants.findByRefreshToken(refreshToken, client.clientId())
                    .orElseThrow(() -> OAuthError.invalidGrant("the refresh token is unknown, expired or revoked"));
            narrowed = scopes(scope.get());
            if (!current.scopes().containsAll(narrowed)) {
                throw new OAuthError(400, OAuthError.INVALID_SCOPE, "scope may only narrow what was granted");
            }
        }
        Grants.Refresh outcome = grants.refresh(refreshToken, client.clientId());
        if (outcome instanceof Grants.Refresh.Refused refused) {
            throw OAuthError.invalidGrant(refused.description());
        }
        if (outcome instanceof Grants.Refresh.ReplayDetected) {
            throw OAuthError.invalidGrant("the refresh token was already used; the grant is revoked, sign in again");
        }
        Grants.Refresh.Rotated rotated = (Grants.Refresh.Rotated) outcome;
        Grant grant = withLiveUpstreamSession(rotated.grant());
        return response(grant, narrowed == null ? grant.scopes() : narrowed, Optional.of(rotated.refreshToken()));
    }

    /**
     * The grant, once the user's upstream session is known to live: the broker refreshes the Entra
     * tokens if they are due, and that refresh's ID token may change the user's roles (the grant is
     * read again). A session Entra has ended ends the grant; a busy or unreachable Entra does not
     * (the tokens are kept, and the grant's roles are those of the last refresh).
     */
    private Grant withLiveUpstreamSession(Grant grant) {
        SignedInUser user = grant.user();
        try {
            upstreamSession.acquireToken(CallerIdentity.user(user.principal(), user.username(), user.displayName(),
                    grant.clientId(), grant.scopes(), user.roles()), Set.of());
        } catch (ToolFailureException failure) {
            if (failure.failure() instanceof ToolFailure.SignInRequired) {
                grants.revoke(grant, false);
                throw OAuthError.invalidGrant("the sign-in at Microsoft Entra ID has ended; sign in again");
            }
            LOG.info("The upstream session of {} could not be checked now ({}); refreshing with the roles last known",
                    user.principal().asKey(), failure.failure().getClass().getSimpleName());
        }
        return grants.find(grant.id())
                .orElseThrow(() -> OAuthError.invalidGrant("the grant ended while it was refreshed; sign in again"));
    }

    private String response(Grant grant, SortedSet<String> scopes, Optional<String> refreshToken) {
        FacadeTokens.AccessToken accessToken = tokens.issue(grant, scopes);
        ObjectNode response = json.createObjectNode();
        response.put("access_token", accessToken.value());
        response.put("token_type", "Bearer");
        response.put("expires_in", Math.max(1, Duration.between(clock.instant(), accessToken.expiresAt()).toSeconds()));
        response.put("scope", String.join(" ", scopes));
        refreshToken.ifPresent(value -> response.put("refresh_token", value));
        return response.toString();
    }

    private SortedSet<String> scopes(String scope) {
        SortedSet<String> scopes = new TreeSet<>();
        for (String value : scope.trim().split(" +")) {
            if (!value.equals(FacadeSettings.OFFLINE_ACCESS) && !value.isEmpty()) {
                scopes.add(value);
            }
        }
        if (scopes.isEmpty()) {
            throw new OAuthError(400, OAuthError.INVALID_SCOPE, "scope names no scope of this server");
        }
        return scopes;
    }

    /** The client, authenticated the way it registered (see the class comment). */
    RegisteredClient authenticate(Form form, Optional<String> authorization) {
        Optional<String> formId = form.single("client_id");
        Optional<String> formSecret = form.single("client_secret");
        if (authorization.isPresent()) {
            String header = authorization.get();
            if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
                throw OAuthError.invalidClient("client authentication must use HTTP Basic, the form, or PKCE alone");
            }
            String[] credentials = basic(header.substring(6).strip());
            if (formSecret.isPresent() || (formId.isPresent() && !formId.get().equals(credentials[0]))) {
                throw OAuthError.invalidRequest("use one client authentication method");
            }
            return confidential(credentials[0], credentials[1], RegisteredClient.AuthMethod.CLIENT_SECRET_BASIC);
        }
        String clientId = formId.orElseThrow(() -> OAuthError.invalidClient("client_id is required"));
        if (formSecret.isPresent()) {
            return confidential(clientId, formSecret.get(), RegisteredClient.AuthMethod.CLIENT_SECRET_POST);
        }
        RegisteredClient client = known(clientId);
        if (client.authMethod() != RegisteredClient.AuthMethod.NONE) {
            throw OAuthError.invalidClient("this client must authenticate with " + client.authMethod().value());
        }
        return client;
    }

    private RegisteredClient confidential(String clientId, String secret, RegisteredClient.AuthMethod method) {
        RegisteredClient client = known(clientId);
        if (client.authMethod() != method) {
            throw OAuthError.invalidClient("this client is registered for " + client.authMethod().value());
        }
        if (!clients.secretMatches(client, secret)) {
            LOG.info("Client authentication failed for client {}", client.clientId());
            throw OAuthError.invalidClient("client authentication failed");
        }
        return client;
    }

    private RegisteredClient known(String clientId) {
        Clients.Lookup lookup = clients.find(clientId);
        if (lookup instanceof Clients.Lookup.Found found) {
            return found.client();
        }
        throw OAuthError.invalidClient("unknown client");
    }

    private static String[] basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient("the Basic credentials are not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw OAuthError.invalidClient("the Basic credentials must be client_id:client_secret");
        }
        try {
            return new String[]{URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient("the Basic credentials are not correctly form-encoded");
        }
    }

    /** For the metadata: the client authentication methods this endpoint accepts. */
    static Set<String> authMethods() {
        Set<String> methods = new LinkedHashSet<>();
        for (RegisteredClient.AuthMethod method : RegisteredClient.AuthMethod.values()) {
            methods.add(method.value());
        }
        return methods;
    }
}
