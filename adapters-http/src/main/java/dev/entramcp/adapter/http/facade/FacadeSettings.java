package dev.entramcp.adapter.http.facade;

import dev.entramcp.adapter.http.auth.AuthSettings;
import dev.entramcp.adapter.http.auth.InvalidAuthConfigurationException;
import dev.entramcp.adapter.http.facade.store.StoreKeys;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated settings of the authorization-server facade: what {@code entramcp.facade.*} says,
 * plus what it takes from the resource server's own settings (its public URL is the issuer, its
 * scopes are what clients may ask for, its tenant allow-list is who may sign in).
 *
 * @param issuer                   this server as an authorization server: the public base URL
 * @param resource                 the MCP resource every token is for ({@code {issuer}/mcp})
 * @param callback                 where Entra sends the browser back ({@code {issuer}/auth/callback})
 * @param supportedScopes          the scopes a client may request, as the domain names them
 * @param defaultScopes            what a request without {@code scope} gets
 * @param allowedTenants           tenants whose users may sign in
 * @param upstreamScopes           what the server asks Entra for, {@code offline_access} included
 * @param accessTokenLifetime      of the server's access tokens
 * @param authorizationCodeLifetime of the codes given to MCP clients
 * @param refreshTokenIdleLifetime  a refresh token unused this long is dead
 * @param grantLifetime            a grant ends this long after the sign-in
 * @param signingKeyRotation       the age at which the signing key is replaced
 * @param store                    where records live
 * @param storeDirectory           for a file store
 * @param storeKeys                the AES-256 keys that seal records (never printed)
 * @param registrationEnabled      whether {@code /register} is open
 * @param registrationsPerMinute   server-wide limit on registrations
 * @param cimd                     the Client ID Metadata Document settings
 * @param limits                   what an anonymous client address may ask
 */
public record FacadeSettings(String issuer, URI resource, URI callback, List<String> supportedScopes,
                             List<String> defaultScopes, Set<String> allowedTenants, Set<String> upstreamScopes,
                             Duration accessTokenLifetime, Duration authorizationCodeLifetime,
                             Duration refreshTokenIdleLifetime, Duration grantLifetime, Duration signingKeyRotation,
                             StoreType store, Optional<Path> storeDirectory, StoreKeys storeKeys,
                             boolean registrationEnabled, int registrationsPerMinute, CimdSettings cimd,
                             LimitSettings limits) {

    /** The path Entra posts the sign-in result to. */
    public static final String CALLBACK_PATH = "/auth/callback";
    /** How long a consent page and a sign-in at Entra may take: {@code state} is valid at most this long. */
    public static final Duration AUTHORIZATION_LIFETIME = Duration.ofMinutes(10);
    /** The scope that asks for a refresh token; accepted in requests, never put in a token's {@code scp}. */
    public static final String OFFLINE_ACCESS = "offline_access";

    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    /** Where the facade's records live. */
    public enum StoreType {
        /** In the process: lost at restart. For demos and tests. */
        MEMORY,
        /** Owner-only files: a restart loses nothing. One process. */
        FILE
    }

    /**
     * @param enabled          whether an {@code https} client id is looked up as a metadata document
     * @param allowLoopback    whether a document may be fetched from a loopback address (only with a localhost public base URL: demo and tests)
     * @param fetchTimeout     the time limit of one fetch, connection included
     * @param maxDocumentBytes the largest document accepted
     * @param cacheTtl         how long a fetched document is used before it is fetched again
     * @param failureCacheTtl  how long a refused document is refused without fetching it again
     * @param maxConcurrentFetches how many documents may be fetched at once, server-wide
     * @param trustPem         certificates to trust, instead of the JDK's, when fetching (demo and tests)
     */
    public record CimdSettings(boolean enabled, boolean allowLoopback, Duration fetchTimeout, int maxDocumentBytes,
                               Duration cacheTtl, Duration failureCacheTtl, int maxConcurrentFetches,
                               Optional<Path> trustPem) {
        public CimdSettings {
            Objects.requireNonNull(fetchTimeout, "'fetchTimeout' must not be null");
            Objects.requireNonNull(cacheTtl, "'cacheTtl' must not be null");
            Objects.requireNonNull(failureCacheTtl, "'failureCacheTtl' must not be null");
            Objects.requireNonNull(trustPem, "'trustPem' must not be null");
        }
    }

    /**
     * Limits on the anonymous endpoints, per client address (the TCP peer, or the rightmost
     * {@code X-Forwarded-For} address when {@code trustForwardedFor}), each a token bucket that
     * holds a minute's worth; and a server-wide bound on consent pages awaiting an answer, each of
     * which is a stored record.
     */
    public record LimitSettings(int authorizePerMinute, int registerPerMinute, int tokenPerMinute,
                                int maxPendingAuthorizations, int maxTrackedAddresses, boolean trustForwardedFor) {
    }

    public FacadeSettings {
        Objects.requireNonNull(issuer, "'issuer' must not be null");
        Objects.requireNonNull(resource, "'resource' must not be null");
        Objects.requireNonNull(callback, "'callback' must not be null");
        supportedScopes = List.copyOf(supportedScopes);
        defaultScopes = List.copyOf(defaultScopes);
        allowedTenants = Set.copyOf(allowedTenants);
        upstreamScopes = Set.copyOf(upstreamScopes);
        Objects.requireNonNull(store, "'store' must not be null");
        Objects.requireNonNull(storeDirectory, "'storeDirectory' must not be null");
        Objects.requireNonNull(storeKeys, "'storeKeys' must not be null");
        Objects.requireNonNull(cimd, "'cimd' must not be null");
        Objects.requireNonNull(limits, "'limits' must not be null");
    }

    /**
     * Validates {@code entramcp.facade.*} against the resource server's settings.
     *
     * @throws InvalidAuthConfigurationException listing every problem, each with what to set
     */
    public static FacadeSettings from(FacadeProperties properties, AuthSettings auth) {
        List<String> problems = new ArrayList<>();
        String key = FacadeProperties.PREFIX + ".";
        String issuer = auth.publicBaseUrl().toString();

        Set<String> upstreamScopes = new LinkedHashSet<>();
        if (properties.getUpstreamScopes() == null || properties.getUpstreamScopes().isEmpty()) {
            problems.add(key + "upstream-scopes must list what the server asks Entra for, such as [User.Read, Mail.Send]");
        } else {
            for (String scope : properties.getUpstreamScopes()) {
                String trimmed = scope == null ? "" : scope.strip();
                if (!SCOPE.matcher(trimmed).matches()) {
                    problems.add(key + "upstream-scopes entries must be scope names without spaces or quotes");
                } else {
                    upstreamScopes.add(trimmed);
                }
            }
        }
        upstreamScopes.add(OFFLINE_ACCESS);

        Duration accessTokens = duration(properties.getAccessTokenLifetime(), key + "access-token-lifetime",
                Duration.ofMinutes(1), Duration.ofMinutes(60), "default 5m", problems);
        Duration codes = duration(properties.getAuthorizationCodeLifetime(), key + "authorization-code-lifetime",
                Duration.ofSeconds(10), Duration.ofMinutes(10), "default 60s", problems);
        Duration idle = duration(properties.getRefreshTokenIdleLifetime(), key + "refresh-token-idle-lifetime",
                Duration.ofMinutes(10), Duration.ofDays(90), "default 24h", problems);
        Duration grants = duration(properties.getGrantLifetime(), key + "grant-lifetime",
                Duration.ofMinutes(10), Duration.ofDays(90), "default 7d", problems);
        Duration rotation = duration(properties.getSigningKeyRotation(), key + "signing-key-rotation",
                Duration.ofHours(1), Duration.ofDays(365), "default 30d", problems);

        FacadeProperties.Store storeProperties = properties.getStore() == null ? new FacadeProperties.Store() : properties.getStore();
        StoreType storeType = null;
        String type = storeProperties.getType() == null ? "" : storeProperties.getType().strip().toLowerCase(Locale.ROOT);
        switch (type) {
            case "memory" -> storeType = StoreType.MEMORY;
            case "file" -> storeType = StoreType.FILE;
            default -> problems.add(key + "store.type must be one of [memory, file]");
        }
        Optional<Path> directory = Optional.ofNullable(storeProperties.getDirectory()).map(String::strip)
                .filter(value -> !value.isEmpty()).map(Path::of);
        if (storeType == StoreType.FILE && directory.isEmpty()) {
            problems.add(key + "store.directory must name the directory of the file store (created 0700 if absent)");
        }
        StoreKeys storeKeys = null;
        List<String> keyEntries = storeProperties.getKeys();
        if (keyEntries == null || keyEntries.isEmpty()) {
            if (storeType == StoreType.FILE) {
                problems.add(key + "store.keys (ENTRAMCP_FACADE_STORE_KEYS) must give the key that seals the file store, "
                        + "as kid:base64 of 32 random bytes, for example k1:$(openssl rand -base64 32); without it, "
                        + "nothing written before a restart could be read after it");
            } else {
                storeKeys = StoreKeys.ephemeral();
            }
        } else {
            try {
                storeKeys = StoreKeys.parse(keyEntries);
            } catch (IllegalArgumentException invalid) {
                problems.add(key + "store.keys: " + invalid.getMessage());
            }
        }

        FacadeProperties.Registration registration = properties.getRegistration() == null
                ? new FacadeProperties.Registration() : properties.getRegistration();
        if (registration.getMaxPerMinute() < 1 || registration.getMaxPerMinute() > 100_000) {
            problems.add(key + "registration.max-per-minute must be between 1 and 100000 (default 60)");
        }

        FacadeProperties.Cimd cimd = properties.getCimd() == null ? new FacadeProperties.Cimd() : properties.getCimd();
        Duration fetchTimeout = duration(cimd.getFetchTimeout(), key + "cimd.fetch-timeout", Duration.ofMillis(100),
                Duration.ofSeconds(30), "default 5s", problems);
        Duration cacheTtl = duration(cimd.getCacheTtl(), key + "cimd.cache-ttl", Duration.ofSeconds(1),
                Duration.ofDays(1), "default 10m", problems);
        if (cimd.getMaxDocumentBytes() < 256 || cimd.getMaxDocumentBytes() > 1024 * 1024) {
            problems.add(key + "cimd.max-document-bytes must be between 256 and 1048576 (default 16384)");
        }
        Duration failureCacheTtl = duration(cimd.getFailureCacheTtl(), key + "cimd.failure-cache-ttl", Duration.ofSeconds(1),
                Duration.ofHours(1), "default 60s", problems);
        between(cimd.getMaxConcurrentFetches(), 1, 256, key + "cimd.max-concurrent-fetches", "default 4", problems);
        FacadeProperties.Limits limits = properties.getLimits() == null ? new FacadeProperties.Limits() : properties.getLimits();
        between(limits.getAuthorizePerMinute(), 1, 1_000_000, key + "limits.authorize-per-minute", "default 60", problems);
        between(limits.getRegisterPerMinute(), 1, 1_000_000, key + "limits.register-per-minute", "default 10", problems);
        between(limits.getTokenPerMinute(), 1, 1_000_000, key + "limits.token-per-minute", "default 300", problems);
        between(limits.getMaxPendingAuthorizations(), 1, 10_000_000, key + "limits.max-pending-authorizations",
                "default 10000", problems);
        between(limits.getMaxTrackedAddresses(), 1, 10_000_000, key + "limits.max-tracked-addresses", "default 10000",
                problems);
        if (cimd.isAllowLoopback() && !isLoopbackHost(auth.publicBaseUrl().getHost())) {
            problems.add(key + "cimd.allow-loopback may be true only when this server itself runs on this machine "
                    + "(a localhost public base URL: the demo and tests); on " + auth.publicBaseUrl().getHost()
                    + " it would let anyone make the server fetch from its own loopback addresses");
        }
        Optional<Path> trustPem = Optional.ofNullable(cimd.getTrustPem()).map(String::strip).filter(v -> !v.isEmpty()).map(Path::of);
        if (trustPem.isPresent() && !Files.isReadable(trustPem.get())) {
            problems.add(key + "cimd.trust-pem must name a readable PEM file of certificates to trust");
        }
        if (auth.scopes().isEmpty()) {
            problems.add("entramcp.auth.scopes must list the scopes MCP clients may ask this server for");
        }

        if (!problems.isEmpty()) {
            throw new InvalidAuthConfigurationException(problems);
        }
        return new FacadeSettings(issuer, auth.resource(), URI.create(issuer + CALLBACK_PATH), auth.scopes(),
                auth.challengeScopes(), new LinkedHashSet<>(auth.allowedTenants()), upstreamScopes, accessTokens, codes,
                idle.compareTo(grants) > 0 ? grants : idle, grants, rotation, storeType, directory, storeKeys,
                registration.isEnabled(), registration.getMaxPerMinute(),
                new CimdSettings(cimd.isEnabled(), cimd.isAllowLoopback(), fetchTimeout, cimd.getMaxDocumentBytes(),
                        cacheTtl, failureCacheTtl, cimd.getMaxConcurrentFetches(), trustPem),
                new LimitSettings(limits.getAuthorizePerMinute(), limits.getRegisterPerMinute(), limits.getTokenPerMinute(),
                        limits.getMaxPendingAuthorizations(), limits.getMaxTrackedAddresses(), limits.isTrustForwardedFor()));
    }

    /** localhost, 127.0.0.0/8 or ::1: a public base URL there means the server runs on this machine. */
    private static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String lower = host.toLowerCase(java.util.Locale.ROOT);
        return lower.equals("localhost") || lower.equals("[::1]") || lower.equals("::1")
                || lower.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** The facade's own endpoints, under the issuer. */
    public URI endpoint(String path) {
        return URI.create(issuer + path);
    }

    private static Duration duration(Duration value, String key, Duration min, Duration max, String hint,
                                     List<String> problems) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.add(key + " must be between " + text(min) + " and " + text(max) + " (" + hint + ")");
            return min;
        }
        return value;
    }

    private static void between(int value, int min, int max, String key, String hint, List<String> problems) {
        if (value < min || value > max) {
            problems.add(key + " must be between " + min + " and " + max + " (" + hint + ")");
        }
    }

    private static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
