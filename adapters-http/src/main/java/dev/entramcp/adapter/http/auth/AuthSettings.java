package dev.entramcp.adapter.http.auth;

import com.nimbusds.jose.JWSAlgorithm;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated authentication settings of this resource server. {@link #from} checks every
 * {@code entramcp.auth.*} key and {@code entramcp.http.public-base-url} at start-up, and reports
 * <em>all</em> problems at once, each saying which key to set and to what.
 *
 * @param tenantId               the home tenant (lower-case GUID)
 * @param allowedTenants         tenants whose users may call (lower-case GUIDs; the home tenant alone by default)
 * @param clientId               the API's application (client) id
 * @param appIdUri               the API's Application ID URI
 * @param authorityHost          {@code https://login.microsoftonline.com}, or the emulator's base URL
 * @param jwksUri                where the tenant's signing keys are published
 * @param jwksTrustPem           certificates to trust, instead of the JDK's, when fetching the JWKS
 * @param clockSkew              tolerance on {@code exp} and {@code nbf}
 * @param jwksRefreshInterval    time between routine JWKS refreshes
 * @param jwksMinRefetchInterval least time between JWKS fetches triggered by unknown key ids
 * @param jwksFetchTimeout       time limit of one JWKS fetch
 * @param verifiedTokenCacheSize how many verified tokens to remember (0: none)
 * @param algorithms             accepted signature algorithms of Entra's tokens: RS256, the only one
 *                               Entra uses (the setting exists to be explicit; nothing else is allowed)
 * @param scopes                 the API's scopes, in the domain's names
 * @param challengeScopes        the scopes a 401 challenge asks for, in the domain's names
 * @param scopePrefix            what turns a domain scope into a requestable one ({@code api://.../})
 * @param authorizationServers   the authorization servers PRM advertises: by default the home tenant's
 *                               v2.0 authority, or {@code {authority-host}/organizations/v2.0} when
 *                               more than one tenant is allowed
 * @param resourceName           a human-readable name for PRM
 * @param publicBaseUrl          the origin clients use to reach this server
 */
public record AuthSettings(String tenantId, List<String> allowedTenants, String clientId, String appIdUri,
                           URI authorityHost, URI jwksUri, Optional<Path> jwksTrustPem, Duration clockSkew,
                           Duration jwksRefreshInterval, Duration jwksMinRefetchInterval, Duration jwksFetchTimeout,
                           int verifiedTokenCacheSize, Set<JWSAlgorithm> algorithms, List<String> scopes,
                           List<String> challengeScopes, String scopePrefix, List<URI> authorizationServers,
                           Optional<String> resourceName, URI publicBaseUrl) {

    public static final String PUBLIC_BASE_URL_KEY = "entramcp.http.public-base-url";
    public static final String DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_JWKS_REFRESH_INTERVAL = Duration.ofHours(1);
    public static final Duration DEFAULT_JWKS_MIN_REFETCH_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_JWKS_FETCH_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_CACHE_SIZE = 10_000;
    /** The path of the MCP endpoint under the public base URL; PRM's {@code resource} ends with it. */
    public static final String MCP_PATH = "/mcp";
    /**
     * Entra's multi-tenant authority for work and school accounts: the default PRM authorization
     * server when more than one tenant is allowed.
     */
    public static final String ORGANIZATIONS = "organizations";
    /** RFC 9728's well-known path. */
    public static final String METADATA_PATH = "/.well-known/oauth-protected-resource";

    private static final Pattern GUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** RFC 6749 scope-token: printable ASCII except space, {@code "} and {@code \}. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    private static final Pattern SCOPE_PREFIX = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]*");
    /**
     * Microsoft Entra signs access tokens with RS256 only, so nothing else is ever accepted from it:
     * every other algorithm would only widen what a forged or confused token could try.
     */
    private static final List<JWSAlgorithm> ALLOWED_ALGORITHMS = List.of(JWSAlgorithm.RS256);

    public AuthSettings {
        Objects.requireNonNull(tenantId, "'tenantId' must not be null");
        allowedTenants = List.copyOf(allowedTenants);
        Objects.requireNonNull(clientId, "'clientId' must not be null");
        Objects.requireNonNull(appIdUri, "'appIdUri' must not be null");
        Objects.requireNonNull(authorityHost, "'authorityHost' must not be null");
        Objects.requireNonNull(jwksUri, "'jwksUri' must not be null");
        Objects.requireNonNull(jwksTrustPem, "'jwksTrustPem' must not be null");
        Objects.requireNonNull(clockSkew, "'clockSkew' must not be null");
        Objects.requireNonNull(jwksRefreshInterval, "'jwksRefreshInterval' must not be null");
        Objects.requireNonNull(jwksMinRefetchInterval, "'jwksMinRefetchInterval' must not be null");
        Objects.requireNonNull(jwksFetchTimeout, "'jwksFetchTimeout' must not be null");
        algorithms = Collections.unmodifiableSet(new LinkedHashSet<>(algorithms));
        scopes = List.copyOf(scopes);
        challengeScopes = List.copyOf(challengeScopes);
        Objects.requireNonNull(scopePrefix, "'scopePrefix' must not be null");
        authorizationServers = List.copyOf(authorizationServers);
        Objects.requireNonNull(resourceName, "'resourceName' must not be null");
        Objects.requireNonNull(publicBaseUrl, "'publicBaseUrl' must not be null");
    }

    /**
     * Validates the configuration.
     *
     * @param properties    the {@code entramcp.auth.*} keys
     * @param publicBaseUrl the value of {@code entramcp.http.public-base-url}, or {@code null}
     * @throws InvalidAuthConfigurationException listing every problem, each with what to set
     */
    public static AuthSettings from(AuthProperties properties, String publicBaseUrl) {
        List<String> problems = new ArrayList<>();
        String key = AuthProperties.PREFIX + ".";

        String tenantId = guid(properties.getTenantId(), key + "tenant-id",
                "your Entra directory (tenant) id, a GUID (Entra admin center > Overview > Tenant ID); "
                        + "'common' and 'organizations' cannot be used, the token issuer names the tenant's GUID",
                problems);
        String clientId = guid(properties.getClientId(), key + "client-id",
                "the Application (client) ID of this server's app registration, a GUID", problems);

        List<String> allowedTenants = new ArrayList<>();
        if (properties.getAllowedTenants() == null || properties.getAllowedTenants().isEmpty()) {
            if (tenantId != null) {
                allowedTenants.add(tenantId);
            }
        } else {
            for (String tenant : properties.getAllowedTenants()) {
                String checked = guid(tenant, key + "allowed-tenants",
                        "a list of tenant id GUIDs whose users may call this server", problems);
                if (checked != null && !allowedTenants.contains(checked)) {
                    allowedTenants.add(checked);
                }
            }
        }

        String appIdUri = properties.getAppIdUri();
        if (appIdUri == null || appIdUri.isBlank()) {
            appIdUri = clientId == null ? "" : "api://" + clientId;
        } else if (!isAppIdUri(appIdUri.strip())) {
            problems.add(key + "app-id-uri must be the API's Application ID URI, such as api://<client-id> "
                    + "(absolute, no trailing slash, no query)");
        } else {
            appIdUri = appIdUri.strip();
        }

        URI authorityHost = url(properties.getAuthorityHost(), key + "authority-host", true,
                "https://login.microsoftonline.com, or the emulator's base URL in demo", problems);

        URI jwksUri = null;
        if (properties.getJwksUri() != null && !properties.getJwksUri().isBlank()) {
            jwksUri = url(properties.getJwksUri(), key + "jwks-uri", false,
                    "the URL of the tenant's JSON Web Key Set", problems);
        } else if (authorityHost != null && tenantId != null) {
            jwksUri = URI.create(authorityHost + "/" + tenantId + "/discovery/v2.0/keys");
        }

        Optional<Path> trustPem = Optional.empty();
        if (properties.getJwksTrustPem() != null && !properties.getJwksTrustPem().isBlank()) {
            Path pem = Path.of(properties.getJwksTrustPem().strip());
            if (!Files.isReadable(pem)) {
                problems.add(key + "jwks-trust-pem must name a readable PEM file of certificates to trust "
                        + "(the emulator's certificate in demo); leave it unset to use the JDK's trust store");
            }
            trustPem = Optional.of(pem);
        }

        Duration clockSkew = duration(properties.getClockSkew(), key + "clock-skew", Duration.ZERO,
                BearerTokenVerifier.MAX_CLOCK_SKEW, "default 60s", problems);
        Duration refresh = duration(properties.getJwksRefreshInterval(), key + "jwks-refresh-interval",
                Duration.ofMinutes(1), Duration.ofHours(24), "default 1h", problems);
        Duration minRefetch = duration(properties.getJwksMinRefetchInterval(), key + "jwks-min-refetch-interval",
                Duration.ofSeconds(1), Duration.ofHours(1), "default 5m", problems);
        Duration timeout = duration(properties.getJwksFetchTimeout(), key + "jwks-fetch-timeout",
                Duration.ofSeconds(1), Duration.ofMinutes(1), "default 5s", problems);

        int cacheSize = properties.getVerifiedTokenCacheSize();
        if (cacheSize < 0 || cacheSize > 1_000_000) {
            problems.add(key + "verified-token-cache-size must be between 0 (no cache) and 1000000 (default 10000)");
        }

        Set<JWSAlgorithm> algorithms = algorithms(properties.getAlgorithms(), key + "algorithms", problems);

        List<String> scopes = scopes(properties.getScopes(), key + "scopes", problems);
        List<String> challengeScopes = properties.getChallengeScopes() == null
                ? scopes : scopes(properties.getChallengeScopes(), key + "challenge-scopes", problems);

        String scopePrefix = properties.getScopePrefix() == null ? appIdUri + "/" : properties.getScopePrefix().strip();
        if (!SCOPE_PREFIX.matcher(scopePrefix).matches()) {
            problems.add(key + "scope-prefix must be printable ASCII without spaces or quotes, such as api://<client-id>/");
        }

        List<URI> authorizationServers = new ArrayList<>();
        if (properties.getAuthorizationServers() == null || properties.getAuthorizationServers().isEmpty()) {
            if (authorityHost != null && allowedTenants.size() > 1) {
                // Multi-tenant: users sign in at their own tenant; Entra's "organizations" endpoint
                // sends each to it. Tokens still carry their tenant's own iss, checked exactly.
                authorizationServers.add(URI.create(authorityHost + "/" + ORGANIZATIONS + "/v2.0"));
            } else if (authorityHost != null && tenantId != null) {
                authorizationServers.add(URI.create(authorityHost + "/" + tenantId + "/v2.0"));
            }
        } else {
            for (String server : properties.getAuthorizationServers()) {
                URI checked = url(server, key + "authorization-servers", false,
                        "the issuer URLs of the authorization servers clients should use", problems);
                if (checked != null) {
                    authorizationServers.add(checked);
                }
            }
        }

        Optional<String> resourceName = Optional.ofNullable(properties.getResourceName())
                .map(String::strip).filter(name -> !name.isEmpty());

        URI baseUrl = url(publicBaseUrl, PUBLIC_BASE_URL_KEY, true,
                "the URL clients use to reach this server, such as https://mcp.example.com "
                        + "(scheme, host and port only)", problems);

        if (!problems.isEmpty()) {
            throw new InvalidAuthConfigurationException(problems);
        }
        return new AuthSettings(tenantId, allowedTenants, clientId, appIdUri, authorityHost, jwksUri, trustPem,
                clockSkew, refresh, minRefetch, timeout, cacheSize, algorithms, scopes, challengeScopes, scopePrefix,
                authorizationServers, resourceName, baseUrl);
    }

    /** The {@code aud} values a token for this API may carry: its client id, or its App ID URI. */
    public Set<String> audiences() {
        return Set.of(clientId, appIdUri);
    }

    /** The canonical URI of the MCP resource, PRM's {@code resource}: {@code {public-base-url}/mcp}. */
    public URI resource() {
        return URI.create(publicBaseUrl + MCP_PATH);
    }

    /** Where the path-aware PRM for {@link #resource()} lives (RFC 9728 section 3.1). */
    public URI resourceMetadataUrl() {
        return URI.create(publicBaseUrl + METADATA_PATH + MCP_PATH);
    }

    /** {@link #scopes()} as a client requests them ({@code api://<app>/User.Read}). */
    public List<String> requestableScopes() {
        return scopes.stream().map(scope -> scopePrefix + scope).toList();
    }

    /** {@link #challengeScopes()} as a client requests them. */
    public List<String> requestableChallengeScopes() {
        return challengeScopes.stream().map(scope -> scopePrefix + scope).toList();
    }

    private static String guid(String value, String key, String what, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(key + " is not set: set it to " + what);
            return null;
        }
        String lower = value.strip().toLowerCase(Locale.ROOT);
        if (!GUID.matcher(lower).matches()) {
            problems.add(key + " must be " + what + "; got '" + printable(value) + "'");
            return null;
        }
        return lower;
    }

    private static URI url(String value, String key, boolean originOnly, String what, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(key + " is not set: set it to " + what);
            return null;
        }
        String trimmed = value.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            problems.add(key + " is not a valid URL: set it to " + what);
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        boolean loopbackHttp = scheme.equals("http") && isLoopback(uri.getHost());
        if (uri.getHost() == null || !(https || loopbackHttp)) {
            problems.add(key + " must be an https URL (http only for localhost): set it to " + what);
            return null;
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            problems.add(key + " must not carry user info, a query or a fragment: set it to " + what);
            return null;
        }
        if (originOnly && uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            problems.add(key + " must have no path: set it to " + what);
            return null;
        }
        return uri;
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.equals("localhost") || lower.equals("[::1]") || lower.equals("::1")
                || lower.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static boolean isAppIdUri(String value) {
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && !value.endsWith("/") && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && SCOPE_PREFIX.matcher(value).matches();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Duration duration(Duration value, String key, Duration min, Duration max, String hint,
                                     List<String> problems) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.add(key + " must be between " + text(min) + " and " + text(max) + " (" + hint + ")");
            return min;
        }
        return value;
    }

    private static Set<JWSAlgorithm> algorithms(List<String> names, String key, List<String> problems) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        if (names == null || names.isEmpty()) {
            problems.add(key + " must list at least one algorithm (default [RS256])");
            return algorithms;
        }
        for (String name : names) {
            JWSAlgorithm algorithm = ALLOWED_ALGORITHMS.stream()
                    .filter(allowed -> allowed.getName().equals(name == null ? "" : name.strip()))
                    .findFirst().orElse(null);
            if (algorithm == null) {
                problems.add(key + " cannot contain '" + printable(name) + "': Microsoft Entra signs access tokens "
                        + "with RS256 only, so allowed are " + ALLOWED_ALGORITHMS.stream().map(JWSAlgorithm::getName).toList()
                        + " ('none' and HMAC algorithms are never accepted: with HS256 anyone who knows the "
                        + "public key could forge a token)");
            } else {
                algorithms.add(algorithm);
            }
        }
        return algorithms;
    }

    private static List<String> scopes(List<String> values, String key, List<String> problems) {
        if (values == null || values.isEmpty()) {
            problems.add(key + " must list this API's scopes as the domain names them, such as [User.Read, Mail.Send]");
            return List.of();
        }
        List<String> scopes = new ArrayList<>();
        for (String value : values) {
            String scope = value == null ? "" : value.strip();
            if (!SCOPE_TOKEN.matcher(scope).matches()) {
                problems.add(key + " entries must be scope names without spaces or quotes, such as User.Read; got '"
                        + printable(scope) + "'");
            } else if (!scopes.contains(scope)) {
                scopes.add(scope);
            }
        }
        return scopes;
    }

    private static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static String printable(String value) {
        if (value == null) {
            return "";
        }
        String shortened = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return shortened.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
