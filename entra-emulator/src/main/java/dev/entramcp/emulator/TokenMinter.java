package dev.entramcp.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Builds tokens shaped like Entra's v2 tokens and signs them with the current key.
 *
 * <p>Access tokens for a user carry {@code scp} (space-separated, unprefixed) and the user's app roles the
 * resource defines; app-only tokens carry {@code roles} and no {@code scp}. {@code aud} is the resource's
 * application id (Graph's is {@value EntraEmulator#GRAPH_APP_ID}). {@code sub} is pairwise: the same user
 * has a different {@code sub} in every audience, so applications must key users on {@code oid} and {@code tid}.
 */
final class TokenMinter {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Settings settings;
    private final Switches switches;
    private final SigningKeys keys;

    TokenMinter(Settings settings, Switches switches, SigningKeys keys) {
        this.settings = settings;
        this.switches = switches;
        this.keys = keys;
    }

    /**
     * The claims of a delegated access token.
     *
     * @param azpacr how the client authenticated: {@code 0} public, {@code 1} secret, {@code 2} certificate or
     *               assertion
     */
    Map<String, Object> userAccessClaims(DemoUser user, AppRegistration client, Resource resource, Set<String> scopes,
                                         String azpacr) {
        Map<String, Object> claims = common(resource.appId(), switches.accessTokenLifetime());
        claims.put("azp", client.clientId());
        claims.put("azpacr", azpacr);
        claims.put("idtyp", "user");
        claims.put("name", user.displayName());
        claims.put("oid", user.objectId());
        claims.put("preferred_username", user.userPrincipalName());
        claims.put("rh", opaque(24));
        Set<String> roles = Directory.rolesOf(user, resource.appRoles());
        if (!roles.isEmpty()) {
            claims.put("roles", java.util.List.copyOf(roles));
        }
        claims.put("scp", String.join(" ", new TreeSet<>(scopes)));
        claims.put("sid", opaque(16));
        claims.put("sub", pairwiseSubject(user.objectId(), resource.appId()));
        claims.put("tid", settings.tenantId());
        claims.put("uti", opaque(16));
        claims.put("ver", "2.0");
        return claims;
    }

    /** The claims of an app-only access token (client credentials): the app is the subject. */
    Map<String, Object> appAccessClaims(AppRegistration client, Resource resource, Set<String> roles, String azpacr) {
        Map<String, Object> claims = common(resource.appId(), switches.accessTokenLifetime());
        String servicePrincipal = servicePrincipalId(client.clientId());
        claims.put("azp", client.clientId());
        claims.put("azpacr", azpacr);
        claims.put("idtyp", "app");
        claims.put("oid", servicePrincipal);
        claims.put("rh", opaque(24));
        if (!roles.isEmpty()) {
            claims.put("roles", java.util.List.copyOf(new TreeSet<>(roles)));
        }
        claims.put("sub", servicePrincipal);
        claims.put("tid", settings.tenantId());
        claims.put("uti", opaque(16));
        claims.put("ver", "2.0");
        return claims;
    }

    /** The claims of an ID token for {@code client}: audience is the client, roles are the client's own roles. */
    Map<String, Object> idTokenClaims(DemoUser user, AppRegistration client, String nonce) {
        Map<String, Object> claims = common(client.clientId(), settings.idTokenLifetime());
        claims.put("name", user.displayName());
        if (nonce != null) {
            claims.put("nonce", nonce);
        }
        claims.put("oid", user.objectId());
        claims.put("preferred_username", user.userPrincipalName());
        claims.put("rh", opaque(24));
        Set<String> roles = Directory.rolesOf(user, client.appRoles());
        if (!roles.isEmpty()) {
            claims.put("roles", java.util.List.copyOf(roles));
        }
        claims.put("sub", pairwiseSubject(user.objectId(), client.clientId()));
        claims.put("tid", settings.tenantId());
        claims.put("uti", opaque(16));
        claims.put("ver", "2.0");
        return claims;
    }

    String sign(Map<String, Object> claims) {
        return keys.sign(Map.of(), claims);
    }

    /** Entra's {@code client_info}: base64url JSON of the user's object id and tenant, from which msal4j builds
     * its account (without it there is no account, so no silent sign-in). */
    String clientInfo(DemoUser user) {
        String json = "{\"uid\":\"" + user.objectId() + "\",\"utid\":\"" + settings.tenantId() + "\"}";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The object id of an app's service principal in the tenant (stable per client id). */
    static String servicePrincipalId(String clientId) {
        return UUID.nameUUIDFromBytes(("service-principal:" + clientId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private String pairwiseSubject(String objectId, String audienceAppId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (settings.tenantId() + "|" + objectId + "|" + audienceAppId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> common(String audience, Duration lifetime) {
        long now = settings.clock().instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", audience);
        claims.put("iss", settings.issuer());
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + lifetime.toSeconds());
        claims.put("aio", opaque(32));
        return claims;
    }

    static String opaque(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
