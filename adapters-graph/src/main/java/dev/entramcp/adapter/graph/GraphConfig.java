package dev.entramcp.adapter.graph;

import dev.entramcp.domain.model.Require;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where Microsoft Graph is and how the adapter talks to it.
 *
 * <p>Graph lives at a different address per cloud, and so do its scopes: the global service is
 * {@code https://graph.microsoft.com/v1.0} with scopes such as
 * {@code https://graph.microsoft.com/User.Read}; US Government L4 is {@code graph.microsoft.us},
 * DoD {@code dod-graph.microsoft.us}, China (21Vianet) {@code microsoftgraph.chinacloudapi.cn};
 * the project's emulator serves {@code https://localhost:PORT/graph/v1.0}. The scope prefix is
 * what the token port is asked for, so it must name the same Graph the base URL points at.
 *
 * @param baseUrl                Graph's versioned root, such as {@code https://graph.microsoft.com/v1.0};
 *                               https, or http on a loopback address only (tests); no query, fragment or user info
 * @param scopePrefix            Graph's resource identifier plus {@code /}, put before {@code User.Read} and
 *                               {@code Mail.Send} when asking for a token; empty for bare scope names
 * @param requestTimeout         how long one HTTP exchange may take, at most 2 minutes
 * @param retry                  throttling and back-off policy
 * @param profileCacheTtl        how long a user's {@code /me} answer is reused, at most 1 hour; zero turns the cache off
 * @param profileCacheMaxEntries how many users' profiles are kept at most; zero turns the cache off
 */
public record GraphConfig(URI baseUrl, String scopePrefix, Duration requestTimeout, GraphRetryPolicy retry,
                          Duration profileCacheTtl, int profileCacheMaxEntries) {

    /** The global Microsoft Graph service, v1.0. */
    public static final URI MICROSOFT_GRAPH = URI.create("https://graph.microsoft.com/v1.0");
    /** The scope prefix of the global Microsoft Graph service. */
    public static final String MICROSOFT_GRAPH_SCOPE_PREFIX = "https://graph.microsoft.com/";

    private static final Duration MAX_REQUEST_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration MAX_CACHE_TTL = Duration.ofHours(1);
    private static final int MAX_CACHE_ENTRIES = 1_000_000;
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    public GraphConfig {
        baseUrl = checkedBaseUrl(baseUrl);
        scopePrefix = checkedScopePrefix(scopePrefix);
        Require.notNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero() || requestTimeout.compareTo(MAX_REQUEST_TIMEOUT) > 0) {
            throw new IllegalArgumentException("'requestTimeout' must be positive and at most 2 minutes");
        }
        Require.notNull(retry, "retry");
        Require.notNull(profileCacheTtl, "profileCacheTtl");
        if (profileCacheTtl.isNegative() || profileCacheTtl.compareTo(MAX_CACHE_TTL) > 0) {
            throw new IllegalArgumentException("'profileCacheTtl' must be between zero and 1 hour");
        }
        if (profileCacheMaxEntries < 0 || profileCacheMaxEntries > MAX_CACHE_ENTRIES) {
            throw new IllegalArgumentException("'profileCacheMaxEntries' must be between 0 and " + MAX_CACHE_ENTRIES);
        }
    }

    /** The global Microsoft Graph with the defaults: 10 s per request, default retries, 60 s profile cache. */
    public static GraphConfig microsoftGraph() {
        return of(MICROSOFT_GRAPH, MICROSOFT_GRAPH_SCOPE_PREFIX);
    }

    /** Another Graph (a national cloud, the emulator, a test server) with the defaults. */
    public static GraphConfig of(URI baseUrl, String scopePrefix) {
        return new GraphConfig(baseUrl, scopePrefix, Duration.ofSeconds(10), GraphRetryPolicy.defaults(),
                Duration.ofSeconds(60), 1_000);
    }

    public GraphConfig withRequestTimeout(Duration timeout) {
        return new GraphConfig(baseUrl, scopePrefix, timeout, retry, profileCacheTtl, profileCacheMaxEntries);
    }

    public GraphConfig withRetry(GraphRetryPolicy policy) {
        return new GraphConfig(baseUrl, scopePrefix, requestTimeout, policy, profileCacheTtl, profileCacheMaxEntries);
    }

    public GraphConfig withProfileCache(Duration ttl, int maxEntries) {
        return new GraphConfig(baseUrl, scopePrefix, requestTimeout, retry, ttl, maxEntries);
    }

    /** {@code true} when both the TTL and the size allow caching. */
    public boolean profileCacheEnabled() {
        return !profileCacheTtl.isZero() && profileCacheMaxEntries > 0;
    }

    /** A Graph permission as the token port must ask for it, such as {@code https://graph.microsoft.com/User.Read}. */
    public String scope(String permission) {
        return scopePrefix + Require.notBlank(permission, "permission");
    }

    /** The absolute URL of a Graph path such as {@code /me}; {@code query} is appended verbatim when not empty. */
    URI resolve(String path, String query) {
        return URI.create(baseUrl + path + (query.isEmpty() ? "" : "?" + query));
    }

    private static URI checkedBaseUrl(URI url) {
        Require.notNull(url, "baseUrl");
        if (!url.isAbsolute() || url.isOpaque() || url.getHost() == null) {
            throw new IllegalArgumentException("'baseUrl' must be an absolute http(s) URL such as " + MICROSOFT_GRAPH);
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(url.getHost()))) {
            throw new IllegalArgumentException("'baseUrl' must use https (plain http is allowed on a loopback address only)");
        }
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("'baseUrl' must not carry user info, a query or a fragment");
        }
        String text = url.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    private static String checkedScopePrefix(String prefix) {
        Require.notNull(prefix, "scopePrefix");
        if (prefix.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("'scopePrefix' must not contain spaces or control characters");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("'scopePrefix' must end with '/', such as " + MICROSOFT_GRAPH_SCOPE_PREFIX
                    + ", or be empty");
        }
        return prefix;
    }

    /** Loopback by its literal form only: no name is resolved while checking configuration. */
    private static boolean isLoopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return bare.equalsIgnoreCase("localhost") || LOOPBACK_V4.matcher(bare).matches()
                || bare.equals("::1") || bare.equals("0:0:0:0:0:0:0:1");
    }
}
