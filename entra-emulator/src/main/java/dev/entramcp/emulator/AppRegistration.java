package dev.entramcp.emulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * An app registration of the emulated tenant, with the parts of Entra's model the flows depend on.
 *
 * @param displayName             shown on the sign-in and consent pages, and in AADSTS messages
 * @param clientId                the application (client) id, a GUID: {@code azp} and, for its API, {@code aud}
 * @param publicClient            a public client ("allow public client flows"): no credential, may use device code;
 *                                otherwise a confidential client that must authenticate
 * @param clientSecret            the client secret of a confidential client, or null; generated at start for the
 *                                defaults and never committed
 * @param redirectUris            registered redirect URIs, matched exactly, except that an {@code http://localhost}
 *                                or {@code http://127.0.0.1} URI matches any port (RFC 8252 section 7.3, as Entra does)
 * @param appIdUri                the application ID URI ({@code api://<clientId>}) if the app exposes an API, or null
 * @param exposedScopes           delegated scopes the API exposes ({@code User.Read} for {@code api://id/User.Read})
 * @param appRoles                app role values the app defines; tokens for the app carry the ones a user holds
 * @param delegatedPermissions    resource app id (Graph's is {@link EntraEmulator#GRAPH_APP_ID}) to delegated scopes
 *                                this app holds with tenant-wide admin consent
 * @param applicationPermissions  resource app id to app roles granted to this app itself (client credentials)
 * @param preAuthorizedClientIds  clients that may request this API's scopes without any consent prompt
 * @param knownClientApplications clients whose consent also covers this app's own delegated permissions (combined
 *                                consent, so that a user consenting through the client unblocks On-Behalf-Of)
 * @param certificates            certificates whose keys may sign client assertions
 * @param federatedCredentials    external issuers whose tokens are accepted as client assertions
 */
public record AppRegistration(String displayName, String clientId, boolean publicClient, String clientSecret,
                              List<String> redirectUris, String appIdUri, Set<String> exposedScopes,
                              Set<String> appRoles, Map<String, Set<String>> delegatedPermissions,
                              Map<String, Set<String>> applicationPermissions, Set<String> preAuthorizedClientIds,
                              Set<String> knownClientApplications, List<X509Certificate> certificates,
                              List<FederatedCredential> federatedCredentials) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String NAME = "[A-Za-z][A-Za-z0-9._-]{0,119}";

    public AppRegistration {
        if (displayName == null || displayName.isBlank()) {
            throw new IllegalArgumentException("'displayName' must not be blank");
        }
        Objects.requireNonNull(clientId, "'clientId' must not be null");
        requireGuid(clientId, "clientId");
        if (publicClient && clientSecret != null) {
            throw new IllegalArgumentException("'clientSecret' must be null for a public client");
        }
        if (clientSecret != null && clientSecret.length() < 16) {
            throw new IllegalArgumentException("'clientSecret' must be at least 16 characters");
        }
        redirectUris = List.copyOf(Objects.requireNonNull(redirectUris, "'redirectUris' must not be null"));
        redirectUris.forEach(AppRegistration::requireRedirectUri);
        exposedScopes = copyNames(exposedScopes, "exposedScopes");
        appRoles = copyNames(appRoles, "appRoles");
        if (!exposedScopes.isEmpty() && appIdUri == null) {
            throw new IllegalArgumentException("'appIdUri' must be set when the app exposes scopes");
        }
        if (appIdUri != null && (appIdUri.isBlank() || appIdUri.endsWith("/"))) {
            throw new IllegalArgumentException("'appIdUri' must not be blank or end with '/'");
        }
        delegatedPermissions = copyPermissions(delegatedPermissions, "delegatedPermissions");
        applicationPermissions = copyPermissions(applicationPermissions, "applicationPermissions");
        preAuthorizedClientIds = Set.copyOf(Objects.requireNonNull(preAuthorizedClientIds,
                "'preAuthorizedClientIds' must not be null"));
        preAuthorizedClientIds.forEach(id -> requireGuid(id, "preAuthorizedClientIds"));
        knownClientApplications = Set.copyOf(Objects.requireNonNull(knownClientApplications,
                "'knownClientApplications' must not be null"));
        knownClientApplications.forEach(id -> requireGuid(id, "knownClientApplications"));
        certificates = List.copyOf(Objects.requireNonNull(certificates, "'certificates' must not be null"));
        federatedCredentials = List.copyOf(Objects.requireNonNull(federatedCredentials,
                "'federatedCredentials' must not be null"));
        if (publicClient && (!certificates.isEmpty() || !federatedCredentials.isEmpty())) {
            throw new IllegalArgumentException("a public client has no credentials");
        }
    }

    /** A public client with a fresh client id and the redirect URI {@code http://localhost} (any port). */
    public static AppRegistration publicClient(String displayName) {
        return new AppRegistration(displayName, UUID.randomUUID().toString(), true, null,
                List.of("http://localhost"), null, Set.of(), Set.of(), Map.of(), Map.of(), Set.of(), Set.of(),
                List.of(), List.of());
    }

    /** A confidential client with a fresh client id, a freshly generated secret and {@code api://<clientId>}. */
    public static AppRegistration confidentialClient(String displayName) {
        String clientId = UUID.randomUUID().toString();
        return new AppRegistration(displayName, clientId, false, newSecret(), List.of(), "api://" + clientId,
                Set.of(), Set.of(), Map.of(), Map.of(), Set.of(), Set.of(), List.of(), List.of());
    }

    /** A random secret of 240 bits, in the URL-safe alphabet. */
    public static String newSecret() {
        byte[] bytes = new byte[30];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public boolean exposesApi() {
        return appIdUri != null;
    }

    /** True if {@code uri} matches a registered redirect URI: exactly, or any port for http loopback. */
    public boolean acceptsRedirectUri(String uri) {
        if (uri == null) {
            return false;
        }
        for (String registered : redirectUris) {
            if (registered.equals(uri) || loopbackMatch(registered, uri)) {
                return true;
            }
        }
        return false;
    }

    public AppRegistration withClientId(String newClientId) {
        String newAppIdUri = appIdUri != null && appIdUri.equals("api://" + clientId) ? "api://" + newClientId : appIdUri;
        return new AppRegistration(displayName, newClientId, publicClient, clientSecret, redirectUris, newAppIdUri,
                exposedScopes, appRoles, delegatedPermissions, applicationPermissions, preAuthorizedClientIds,
                knownClientApplications, certificates, federatedCredentials);
    }

    public AppRegistration withDisplayName(String name) {
        return new AppRegistration(name, clientId, publicClient, clientSecret, redirectUris, appIdUri, exposedScopes,
                appRoles, delegatedPermissions, applicationPermissions, preAuthorizedClientIds,
                knownClientApplications, certificates, federatedCredentials);
    }

    /** Replaces the client secret; null leaves a confidential client with certificates or federation only. */
    public AppRegistration withClientSecret(String secret) {
        return new AppRegistration(displayName, clientId, publicClient, secret, redirectUris, appIdUri, exposedScopes,
                appRoles, delegatedPermissions, applicationPermissions, preAuthorizedClientIds,
                knownClientApplications, certificates, federatedCredentials);
    }

    public AppRegistration withRedirectUris(String... uris) {
        return new AppRegistration(displayName, clientId, publicClient, clientSecret, List.of(uris), appIdUri,
                exposedScopes, appRoles, delegatedPermissions, applicationPermissions, preAuthorizedClientIds,
                knownClientApplications, certificates, federatedCredentials);
    }

    public AppRegistration withAddedRedirectUri(String uri) {
        List<String> uris = new ArrayList<>(redirectUris);
        if (!uris.contains(uri)) {
            uris.add(uri);
        }
        return withRedirectUris(uris.toArray(String[]::new));
    }

    public AppRegistration withAppIdUri(String uri) {
        return new AppRegistration(displayName, clientId, publicClient, clientSecret, redirectUris, uri, exposedScopes,
                appRoles, delegatedPermissions, applicationPermissions, preAuthorizedClientIds,
                knownClientApplications, certificates, federatedCredentials);
    }

    public AppRegistration withExposedScopes(String... scopes) {
        return new AppRegistration(displayName, clientId, publicClient, clientSecret, redirectUris, appIdUri,
                Set.of(scopes), appRoles, delegatedPermissions, applicationPermissions, preAuthorizedClientIds,
                knownClientApplications, certificates, federatedCredentials);
    }

    public AppRegistration withAppRoles(String... roles) {
        return new AppRegistration(displayName, clientId, publicClient, clientSecret, redirectUris, appIdUri,
                exposedScopes, Set.of(roles), delegatedPermissions, applicationPermissions, preAuthorizedClientIds,
                knownClientApplications, certificates, federatedCredentials);
    }

    /** Sets the admin-consented delegated scopes on one resource; no scopes removes the resource. */
    public AppRegistration withDelegatedPermissions(String resourceAppId, String... scopes) {
        return new AppRegistration(displayName, clientId, publicClient, clientSecret, redirectUris, appIdUri,
                exposedScopes, appRoles, put(delegatedPermissions, resourceAppId, scopes), applicationPermissions,
                preAuthorizedClientIds, knownClientApplications, certificates, federatedCredentials);
    }

    /** Sets the app roles granted to this app on one resource; no roles removes the resource. */
    public AppRegistration withApplicationPermissions(String resourceAppId, String... roles) {
        return new AppRegistration(displayName, clientId, publicClient, clientSecret, redirectUris, appIdUri,
                exposedScopes, appRoles, delegatedPermissions, put(applicationPermissions, resourceAppId, roles),
                preAuthorizedClientIds, knownClientApplications, certificates, federatedCredentials);
    }

    public AppRegistration withPreAuthorizedClients(String... clientIds) {
        return new AppRegistration(displayName, clientId, publicClient, clientSecret, redirectUris, appIdUri,
                exposedScopes, appRoles, delegatedPermissions, applicationPermissions, Set.of(clientIds),
                knownClientApplications, certificates, federatedCredentials);
    }

    public AppRegistration withKnownClientApplications(String... clientIds) {
        return new AppRegistration(displayName, clientId, publicClient, clientSecret, redirectUris, appIdUri,
                exposedScopes, appRoles, delegatedPermissions, applicationPermissions, preAuthorizedClientIds,
                Set.of(clientIds), certificates, federatedCredentials);
    }

    public AppRegistration withAddedCertificate(X509Certificate certificate) {
        List<X509Certificate> all = new ArrayList<>(certificates);
        all.add(Objects.requireNonNull(certificate, "'certificate' must not be null"));
        return new AppRegistration(displayName, clientId, publicClient, clientSecret, redirectUris, appIdUri,
                exposedScopes, appRoles, delegatedPermissions, applicationPermissions, preAuthorizedClientIds,
                knownClientApplications, all, federatedCredentials);
    }

    public AppRegistration withAddedFederatedCredential(FederatedCredential credential) {
        List<FederatedCredential> all = new ArrayList<>(federatedCredentials);
        all.add(Objects.requireNonNull(credential, "'credential' must not be null"));
        return new AppRegistration(displayName, clientId, publicClient, clientSecret, redirectUris, appIdUri,
                exposedScopes, appRoles, delegatedPermissions, applicationPermissions, preAuthorizedClientIds,
                knownClientApplications, certificates, all);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "AppRegistration[displayName=" + displayName + ", clientId=" + clientId + ", publicClient="
                + publicClient + ", clientSecret=" + (clientSecret == null ? "none" : "(redacted)")
                + ", redirectUris=" + redirectUris + ", appIdUri=" + appIdUri + ", exposedScopes=" + exposedScopes
                + ", appRoles=" + appRoles + ", delegatedPermissions=" + delegatedPermissions
                + ", applicationPermissions=" + applicationPermissions + ", preAuthorizedClientIds="
                + preAuthorizedClientIds + ", knownClientApplications=" + knownClientApplications
                + ", certificates=" + certificates.size() + ", federatedCredentials=" + federatedCredentials.size()
                + "]";
    }

    private static boolean loopbackMatch(String registered, String requested) {
        try {
            URI reg = new URI(registered);
            URI req = new URI(requested);
            return "http".equals(reg.getScheme()) && "http".equals(req.getScheme())
                    && isLoopback(reg.getHost()) && Objects.equals(reg.getHost(), req.getHost())
                    && normalisePath(reg.getRawPath()).equals(normalisePath(req.getRawPath()))
                    && Objects.equals(reg.getRawQuery(), req.getRawQuery())
                    && req.getRawUserInfo() == null && req.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String normalisePath(String path) {
        return path == null || path.isEmpty() ? "/" : path;
    }

    private static boolean isLoopback(String host) {
        return "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
    }

    private static void requireRedirectUri(String uri) {
        try {
            URI parsed = new URI(uri);
            if (!parsed.isAbsolute() || parsed.getRawFragment() != null || parsed.getHost() == null) {
                throw new IllegalArgumentException("'redirectUris' must be absolute URIs without a fragment: " + uri);
            }
            if ("http".equals(parsed.getScheme()) && !isLoopback(parsed.getHost())) {
                throw new IllegalArgumentException("'redirectUris' may use http only for localhost: " + uri);
            }
            if (!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme())) {
                throw new IllegalArgumentException("'redirectUris' must be http(s): " + uri);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'redirectUris' holds an invalid URI: " + uri, e);
        }
    }

    private static void requireGuid(String value, String field) {
        boolean canonical;
        try {
            canonical = UUID.fromString(value).toString().equals(value);
        } catch (IllegalArgumentException e) {
            canonical = false;
        }
        if (!canonical) {
            throw new IllegalArgumentException("'" + field + "' must be a lower-case GUID: " + value);
        }
    }

    private static Set<String> copyNames(Set<String> names, String field) {
        Set<String> copy = Set.copyOf(Objects.requireNonNull(names, "'" + field + "' must not be null"));
        for (String name : copy) {
            if (!name.matches(NAME)) {
                throw new IllegalArgumentException("'" + field + "' holds an invalid name: " + name);
            }
        }
        return copy;
    }

    private static Map<String, Set<String>> copyPermissions(Map<String, Set<String>> permissions, String field) {
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        Objects.requireNonNull(permissions, "'" + field + "' must not be null").forEach((resource, names) -> {
            requireGuid(resource, field);
            copy.put(resource.toLowerCase(Locale.ROOT), copyNames(names, field));
        });
        return Map.copyOf(copy);
    }

    private static Map<String, Set<String>> put(Map<String, Set<String>> map, String key, String... values) {
        Map<String, Set<String>> copy = new LinkedHashMap<>(map);
        if (values.length == 0) {
            copy.remove(key);
        } else {
            copy.put(key, new LinkedHashSet<>(List.of(values)));
        }
        return copy;
    }
}
