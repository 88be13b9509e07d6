package dev.entramcp.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /{tenant}/oauth2/v2.0/token} and {@code /{tenant}/oauth2/v2.0/devicecode}: every grant the project's
 * flows use, with Entra's parameters, responses and refusals.
 */
final class TokenEndpoint {

    private static final String OBO_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final Settings settings;
    private final Directory directory;
    private final GrantStore store;
    private final TokenMinter minter;
    private final ClientAuthenticator clients;
    private final TokenVerifier verifier;
    private final ConsentPolicy consent;
    private final Records records;
    private final Switches switches;

    TokenEndpoint(Settings settings, Directory directory, GrantStore store, TokenMinter minter,
                  ClientAuthenticator clients, TokenVerifier verifier, ConsentPolicy consent, Records records,
                  Switches switches) {
        this.settings = settings;
        this.directory = directory;
        this.store = store;
        this.minter = minter;
        this.clients = clients;
        this.verifier = verifier;
        this.consent = consent;
        this.records = records;
        this.switches = switches;
    }

    void token(HttpCall call) {
        requirePost(call);
        Map<String, String> form = call.form();
        String grantType = form.get("grant_type");
        if (grantType == null) {
            throw EntraError.missingParameter("grant_type");
        }
        Grant grant = switch (grantType) {
            case "authorization_code" -> Grant.AUTHORIZATION_CODE;
            case "refresh_token" -> Grant.REFRESH_TOKEN;
            case "client_credentials" -> Grant.CLIENT_CREDENTIALS;
            case OBO_GRANT -> Grant.ON_BEHALF_OF;
            case "device_code", "urn:ietf:params:oauth:grant-type:device_code" -> Grant.DEVICE_CODE;
            default -> throw new EntraError(400, "unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + grantType + "'.", null);
        };
        records.tokenRequest(grant);
        ClientAuthenticator.Authenticated client = clients.authenticate(call, form);
        Map<String, Object> response = switch (grant) {
            case AUTHORIZATION_CODE -> authorizationCode(form, client);
            case REFRESH_TOKEN -> refreshToken(form, client);
            case CLIENT_CREDENTIALS -> clientCredentials(form, client);
            case ON_BEHALF_OF -> onBehalfOf(form, client);
            case DEVICE_CODE -> deviceCode(form, client);
        };
        records.tokenIssued(grant);
        call.json(200, response);
    }

    /** RFC 8628 device authorization: a device code for the client to poll with, a user code for the person. */
    void deviceAuthorization(HttpCall call, SignInFlow signIn) {
        requirePost(call);
        Map<String, String> form = call.form();
        String clientId = form.get("client_id");
        if (clientId == null) {
            throw EntraError.missingParameter("client_id");
        }
        AppRegistration app = directory.app(clientId).orElseThrow(() -> EntraError.unauthorizedClient(700016,
                "Application with identifier '" + clientId + "' was not found in the directory '"
                        + settings.tenantId() + "'."));
        ScopeRequest scopes = ScopeRequest.parse(form.get("scope"), directory);
        DeviceAuthorization authorization = new DeviceAuthorization(app.clientId(), scopes,
                settings.clock().instant().plus(settings.deviceCodeLifetime()), settings.deviceCodeInterval());
        String deviceCode = store.issueDeviceCode(authorization);
        signIn.autoApproveDevice(authorization, app);
        String verificationUri = settings.base() + "/devicelogin";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_code", authorization.userCode);
        body.put("device_code", deviceCode);
        body.put("verification_uri", verificationUri);
        body.put("expires_in", settings.deviceCodeLifetime().toSeconds());
        body.put("interval", settings.deviceCodeInterval().toSeconds());
        body.put("message", "To sign in, use a web browser to open the page " + verificationUri
                + " and enter the code " + authorization.userCode + " to authenticate.");
        call.json(200, body);
    }

    private Map<String, Object> authorizationCode(Map<String, String> form, ClientAuthenticator.Authenticated client) {
        String value = require(form, "code");
        GrantStore.AuthorizationCode code = store.code(value).orElseThrow(() ->
                EntraError.invalidGrant(9002313, "Invalid request. Request is malformed or invalid."));
        if (code.redeemed.getAndSet(true)) {
            // A replayed code may be stolen: revoke what its first redemption issued, or is still checking before it
            // issues anything (RFC 9700 section 4.5).
            store.revokeFamily(code.familyId);
            throw EntraError.invalidGrant(54005, "OAuth2 Authorization code was already redeemed, please retry"
                    + " with a new valid code or use an existing refresh token.");
        }
        if (!settings.clock().instant().isBefore(code.expiresAt)) {
            throw EntraError.invalidGrant(70008, "The provided authorization code or refresh token has expired due"
                    + " to inactivity. Send a new interactive authorization request for this user and resource.");
        }
        if (!code.clientId.equals(client.app().clientId())) {
            throw EntraError.invalidGrant(70000, "Provided grant is invalid or malformed: the code was issued to"
                    + " another client.");
        }
        String redirectUri = require(form, "redirect_uri");
        if (!redirectUri.equals(code.redirectUri)) {
            throw EntraError.invalidGrant(500112, "The reply address '" + redirectUri + "' does not match the reply"
                    + " address '" + code.redirectUri + "' provided when requesting Authorization code.");
        }
        String verifier = form.get("code_verifier");
        if (code.codeChallenge != null) {
            if (verifier == null || !MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII),
                    code.codeChallenge.getBytes(StandardCharsets.US_ASCII))) {
                throw EntraError.invalidGrant(501481, "The Code_Verifier does not match the code_challenge supplied"
                        + " in the authorization request.");
            }
        } else if (verifier != null) {
            // RFC 9700 2.1.1: a verifier without a challenge means someone stripped the challenge (PKCE downgrade).
            throw EntraError.invalidGrant(501481, "A code_verifier was sent, but the authorization request had no"
                    + " code_challenge.");
        }
        DemoUser user = userOf(code.userObjectId);
        ScopeRequest request = form.containsKey("scope") ? ScopeRequest.parse(form.get("scope"), directory) : code.scopes;
        Set<String> granted = consent.grantedWithoutUser(user, client.app(), request);
        if (store.isRevoked(code.familyId)) {
            // Replayed while this redemption was being checked: the replay has already revoked this family, so
            // issue nothing (a refresh token stored after this check is refused anyway, since it is of this family).
            throw EntraError.invalidGrant(54005, "OAuth2 Authorization code was already redeemed, please retry"
                    + " with a new valid code or use an existing refresh token.");
        }
        return userTokens(form, user, client, request, granted, code.nonce, code.familyId);
    }

    private Map<String, Object> refreshToken(Map<String, String> form, ClientAuthenticator.Authenticated client) {
        String value = require(form, "refresh_token");
        GrantStore.RefreshToken token = store.refreshToken(value).orElseThrow(() ->
                EntraError.invalidGrant(9002313, "Invalid request. Request is malformed or invalid."));
        if (!token.clientId.equals(client.app().clientId())) {
            throw EntraError.invalidGrant(70000, "Provided grant is invalid or malformed: the refresh token was"
                    + " issued to another client.");
        }
        if (store.isRevoked(token.familyId)) {
            throw EntraError.invalidGrant(50173, "The provided grant has expired due to it being revoked, a fresh"
                    + " auth token is needed. The user might have changed or reset their password.");
        }
        if (!settings.clock().instant().isBefore(token.expiresAt)) {
            throw EntraError.invalidGrant(700082, "The refresh token has expired due to inactivity.");
        }
        DemoUser user = userOf(token.userObjectId);
        ScopeRequest request = form.containsKey("scope") ? ScopeRequest.parse(form.get("scope"), directory) : token.scopes;
        Set<String> granted = consent.grantedWithoutUser(user, client.app(), request);
        // Before rotation: a refusal leaves the refresh token usable once the user has done MFA, as in Entra.
        requireNoMfaPolicy(user, request, "invalid_grant");
        if (token.used.getAndSet(true)) {
            // Rotation: a refresh token is single use. A second use means two parties hold it; end the family.
            store.revokeFamily(token.familyId);
            throw EntraError.invalidGrant(70000, "Provided grant is invalid or malformed: the refresh token was"
                    + " already redeemed, so every token of its family is now revoked.");
        }
        return userTokens(form, user, client, request, granted, null, token.familyId);
    }

    private Map<String, Object> clientCredentials(Map<String, String> form, ClientAuthenticator.Authenticated client) {
        requireConfidential(client);
        String raw = require(form, "scope");
        ScopeRequest request = ScopeRequest.parse(raw, directory);
        if (!request.dotDefault()) {
            throw EntraError.invalidScope(1002012, "The provided value for scope " + raw + " is not valid. Client"
                    + " credential flows must have a scope value with /.default suffixed to the resource identifier"
                    + " (application ID URI).");
        }
        Set<String> roles = new LinkedHashSet<>(client.app().applicationPermissions()
                .getOrDefault(request.resource().appId(), Set.of()));
        if (!request.resource().isGraph()) {
            roles.retainAll(request.resource().appRoles());
        }
        String token = minter.sign(minter.appAccessClaims(client.app(), request.resource(), roles, client.azpacr()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("expires_in", switches.accessTokenLifetime().toSeconds());
        body.put("ext_expires_in", switches.accessTokenLifetime().toSeconds());
        body.put("access_token", token);
        return body;
    }

    private Map<String, Object> onBehalfOf(Map<String, String> form, ClientAuthenticator.Authenticated client) {
        requireConfidential(client);
        String use = require(form, "requested_token_use");
        if (!"on_behalf_of".equals(use)) {
            throw EntraError.invalidRequest(90023, "The value of 'requested_token_use' must be 'on_behalf_of'.");
        }
        String assertion = require(form, "assertion");
        Map<String, Object> claims;
        try {
            claims = verifier.verify(assertion);
        } catch (TokenVerifier.Rejected rejected) {
            throw switch (rejected.problem) {
                case MALFORMED -> EntraError.invalidGrant(50027, "JWT token is invalid or malformed.");
                case EXPIRED, NOT_YET_VALID -> EntraError.invalidGrant(500133, "Assertion is not within its valid"
                        + " time range. Ensure that the access token is not expired before using it for user"
                        + " assertion, or request a new token.");
                case KEY_NOT_FOUND -> EntraError.invalidGrant(50013, "Assertion failed signature validation."
                        + " [Reason - The key was not found.]");
                case UNSUPPORTED_ALGORITHM, BAD_SIGNATURE -> EntraError.invalidGrant(50013, "Assertion failed"
                        + " signature validation. [Reason - The provided signature value did not match the expected"
                        + " signature value.]");
                case WRONG_ISSUER, WRONG_TENANT -> EntraError.invalidGrant(50013, "Assertion contains an invalid"
                        + " issuer or tenant: it was not issued by " + settings.issuer() + ".");
            };
        }
        AppRegistration app = client.app();
        if (!TokenVerifier.audienceIsOneOf(claims.get("aud"), app.clientId(), app.appIdUri())) {
            throw EntraError.invalidGrant(50013, "Assertion audience does not match the Client app presenting the"
                    + " assertion. The audience in the assertion was '" + claims.get("aud") + "' and the expected"
                    + " audience is '" + app.clientId() + "' or one of the Application Id URIs of this web"
                    + " application.");
        }
        if (!(claims.get("scp") instanceof String) || "app".equals(claims.get("idtyp"))) {
            throw EntraError.invalidGrant(50013, "Assertion is not a delegated (user) token: On-Behalf-Of needs a"
                    + " token issued to a user, with an 'scp' claim.");
        }
        Object oid = claims.get("oid");
        DemoUser user = directory.user(oid instanceof String ? (String) oid : null).orElseThrow(() ->
                EntraError.invalidGrant(50034, "The user account does not exist in the " + settings.tenantId()
                        + " directory."));
        ScopeRequest request = ScopeRequest.parse(require(form, "scope"), directory);
        Set<String> granted = consent.grantedWithoutUser(user, app, request);
        requireNoMfaPolicy(user, request, "interaction_required");
        return userTokens(form, user, client, request, granted, null, GrantStore.newFamily());
    }

    /**
     * Refuses a non-interactive grant for a user whom a Conditional Access policy asks for MFA
     * ({@link EmulatorControl#requireMfa}). Entra answers a refresh with {@code invalid_grant} and
     * {@code suberror=basic_action}, and documents {@code interaction_required} for On-Behalf-Of; both carry
     * AADSTS50076 and the claims challenge.
     */
    private void requireNoMfaPolicy(DemoUser user, ScopeRequest request, String error) {
        Optional<String> policy = switches.mfaPolicy(user.objectId());
        if (policy.isPresent()) {
            throw EntraError.mfaRequired(error, request.resource().appId(), policy.get());
        }
    }

    private Map<String, Object> deviceCode(Map<String, String> form, ClientAuthenticator.Authenticated client) {
        String value = require(form, "device_code");
        DeviceAuthorization authorization = store.deviceCode(value).orElseThrow(() ->
                new EntraError(400, "bad_verification_code", 70000, "Provided grant is invalid or malformed:"
                        + " the device_code was not recognized.", null));
        if (!authorization.clientId.equals(client.app().clientId())) {
            throw EntraError.invalidGrant(70000, "Provided grant is invalid or malformed: the device code was issued"
                    + " to another client.");
        }
        switch (authorization.poll(settings.clock().instant())) {
            case PENDING -> throw new EntraError(400, "authorization_pending", 70016, "OAuth 2.0 device flow error."
                    + " Authorization is pending. Continue polling.", null);
            case SLOW_DOWN -> throw new EntraError(400, "slow_down", 70016, "OAuth 2.0 device flow error. The client"
                    + " polled faster than the interval; wait 5 more seconds between polls from now on.", null);
            case EXPIRED -> throw new EntraError(400, "expired_token", 70020, "The provided value for the input"
                    + " parameter 'device_code' is not valid. This device code has expired.", null);
            case DECLINED -> throw new EntraError(400, "authorization_declined", 70000, "The end user denied the"
                    + " authorization request.", null);
            case ALREADY_REDEEMED -> throw EntraError.invalidGrant(70000, "Provided grant is invalid or malformed:"
                    + " the device code was already redeemed.");
            case APPROVED -> {
                DemoUser user = authorization.user();
                Set<String> granted = consent.grantedWithoutUser(user, client.app(), authorization.scopes);
                return userTokens(form, user, client, authorization.scopes, granted, null, GrantStore.newFamily());
            }
            default -> throw new IllegalStateException("unknown poll outcome");
        }
    }

    /** The response Entra gives a user flow: access token, and on request refresh token, ID token, client_info. */
    Map<String, Object> userTokens(Map<String, String> form, DemoUser user, ClientAuthenticator.Authenticated client,
                                   ScopeRequest request, Set<String> granted, String nonce, String family) {
        Resource resource = request.resource();
        Set<String> scp = new LinkedHashSet<>(granted);
        if (resource.isGraph()) {
            // Graph tokens list the OpenID scopes too (except offline_access), as Entra's do.
            request.oidc().stream().filter(s -> !s.equals("offline_access")).forEach(scp::add);
        }
        AppRegistration app = client.app();
        String accessToken = minter.sign(minter.userAccessClaims(user, app, resource, scp, client.azpacr()));
        List<String> scope = new ArrayList<>(request.asked());
        for (String s : granted) {
            if (!request.scopes().contains(s)) {
                scope.add(resource.qualify(s));
            }
        }
        scope.addAll(request.oidc());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("scope", String.join(" ", scope));
        body.put("expires_in", switches.accessTokenLifetime().toSeconds());
        body.put("ext_expires_in", switches.accessTokenLifetime().toSeconds());
        body.put("access_token", accessToken);
        if (request.offlineAccess()) {
            body.put("refresh_token", store.issueRefreshToken(new GrantStore.RefreshToken(family, app.clientId(),
                    user.objectId(), request, settings.clock().instant().plus(settings.refreshTokenLifetime()))));
        }
        if (request.openid()) {
            body.put("id_token", minter.sign(minter.idTokenClaims(user, app, nonce)));
        }
        if ("1".equals(form.get("client_info"))) {
            body.put("client_info", minter.clientInfo(user));
        }
        return body;
    }

    private DemoUser userOf(String objectId) {
        return directory.user(objectId).orElseThrow(() -> EntraError.invalidGrant(50034,
                "The user account does not exist in the " + settings.tenantId() + " directory."));
    }

    private static void requireConfidential(ClientAuthenticator.Authenticated client) {
        if (!client.isConfidential()) {
            throw EntraError.invalidClient(7000218, "The request body must contain the following parameter:"
                    + " 'client_assertion' or 'client_secret'.");
        }
    }

    private static void requirePost(HttpCall call) {
        if (!"POST".equals(call.method())) {
            throw EntraError.invalidRequest(900561, "The endpoint only accepts POST requests. Received a "
                    + call.method() + " request.");
        }
    }

    private static String require(Map<String, String> form, String name) {
        String value = form.get(name);
        if (value == null) {
            throw EntraError.missingParameter(name);
        }
        return value;
    }

    /** RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))). */
    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
