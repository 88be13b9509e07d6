package dev.entramcp.adapter.http.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The DNS-rebinding guard the MCP transport spec asks for: the {@code Origin} header (when a
 * browser sends one) and the {@code Host} header must be on allow-lists, or the request is
 * refused with 403 before anything else is read.
 *
 * <p>Why not the SDK's {@code DefaultServerTransportSecurityValidator}: in 2.1.0 its wildcard
 * entries ({@code http://localhost:*}) are matched with {@code startsWith}, so the origin
 * {@code http://localhost.attacker.example} and the host {@code localhost.attacker.example}
 * pass; it also answers a bad {@code Host} with 421. Here an entry is parsed into scheme, host
 * and port, and a header must match one of them exactly; {@code :*} means "any port", nothing
 * more.
 *
 * <p>Origin entries look like {@code https://app.example.com}, {@code http://localhost:8080} or
 * {@code http://localhost:*}. Host entries look like {@code mcp.example.com} (any port),
 * {@code mcp.example.com:8443} or {@code [::1]}. A request without {@code Origin} is not made by
 * a browser page and is not refused for it; the literal origin {@code null} (sandboxed frames,
 * file pages) is always refused.
 */
public final class OriginHostPolicy {

    private static final int ANY_PORT = -2;

    private final List<Endpoint> origins;
    private final List<Endpoint> hosts;

    public OriginHostPolicy(Collection<String> allowedOrigins, Collection<String> allowedHosts) {
        List<String> problems = new ArrayList<>();
        if (allowedHosts.isEmpty()) {
            problems.add("the Host allow-list must not be empty: an empty list would disable the DNS-rebinding guard");
        }
        validate(allowedOrigins, allowedHosts, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        this.origins = allowedOrigins.stream().map(entry -> parseOriginEntry(entry).orElseThrow()).toList();
        this.hosts = allowedHosts.stream().map(entry -> parseHostEntry(entry).orElseThrow()).toList();
    }

    /**
     * Adds a message per malformed entry to {@code problems}, saying what to set. An empty
     * {@code entramcp.mcp.allowed-hosts} is not a problem: the host of
     * {@code entramcp.http.public-base-url} is always added to it ({@code McpTransportFactory}).
     */
    static void validate(Collection<String> allowedOrigins, Collection<String> allowedHosts, List<String> problems) {
        for (String entry : allowedOrigins) {
            if (parseOriginEntry(entry).isEmpty()) {
                problems.add("entramcp.mcp.allowed-origins entry '" + entry + "' is not an origin such as "
                        + "https://app.example.com or http://localhost:* ('*' and 'null' are not allowed)");
            }
        }
        for (String entry : allowedHosts) {
            if (parseHostEntry(entry).isEmpty()) {
                problems.add("entramcp.mcp.allowed-hosts entry '" + entry + "' is not a host such as "
                        + "mcp.example.com, mcp.example.com:8443, 127.0.0.1 or [::1]");
            }
        }
    }

    /** True when the {@code Origin} header is absent or allowed. */
    public boolean isOriginAllowed(String origin) {
        if (origin == null) {
            return true;
        }
        Optional<Endpoint> parsed = parseOrigin(origin.trim(), false);
        return parsed.isPresent() && origins.stream().anyMatch(allowed -> allowed.admits(parsed.get()));
    }

    /** True when the {@code Host} header is present and allowed. */
    public boolean isHostAllowed(String host) {
        if (host == null) {
            return false;
        }
        Optional<Endpoint> parsed = parseHost(host.trim(), false);
        return parsed.isPresent() && hosts.stream().anyMatch(allowed -> allowed.admits(parsed.get()));
    }

    private static Optional<Endpoint> parseOriginEntry(String entry) {
        return entry == null ? Optional.empty() : parseOrigin(entry.trim(), true);
    }

    private static Optional<Endpoint> parseHostEntry(String entry) {
        return entry == null ? Optional.empty() : parseHost(entry.trim(), true);
    }

    private static Optional<Endpoint> parseOrigin(String value, boolean wildcardPortAllowed) {
        boolean anyPort = wildcardPortAllowed && value.endsWith(":*");
        String text = anyPort ? value.substring(0, value.length() - 2) : value;
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
                return Optional.empty();
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = anyPort ? ANY_PORT : uri.getPort() != -1 ? uri.getPort() : defaultPort(scheme);
            return Optional.of(new Endpoint(scheme, host.toLowerCase(Locale.ROOT), port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<Endpoint> parseHost(String value, boolean entry) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String host;
        String rest;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            host = value.substring(0, close + 1);
            rest = value.substring(close + 1);
        } else {
            int colon = value.indexOf(':');
            host = colon < 0 ? value : value.substring(0, colon);
            rest = colon < 0 ? "" : value.substring(colon);
        }
        if (!host.matches("\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+")) {
            return Optional.empty();
        }
        int port;
        if (rest.isEmpty()) {
            port = entry ? ANY_PORT : -1;
        } else if (rest.matches(":[0-9]{1,5}")) {
            port = Integer.parseInt(rest.substring(1));
        } else {
            return Optional.empty();
        }
        return Optional.of(new Endpoint("", host.toLowerCase(Locale.ROOT), port));
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }

    private record Endpoint(String scheme, String host, int port) {
        boolean admits(Endpoint candidate) {
            return scheme.equals(candidate.scheme) && host.equals(candidate.host)
                    && (port == ANY_PORT || port == candidate.port);
        }
    }
}
