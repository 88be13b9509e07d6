package dev.entramcp.adapter.http.facade;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The redirect URI rules, at registration and at {@code /authorize}.
 *
 * <h2>What may be registered</h2>
 * An absolute URI without fragment or user info, and:
 * <ul>
 *   <li>a <b>web</b> client: {@code https} on a host that is not loopback (OpenID Connect Dynamic
 *       Client Registration: a web client must not use {@code localhost});</li>
 *   <li>a <b>native</b> client: {@code http} on a loopback address ({@code 127.0.0.1}, {@code [::1]}
 *       or {@code localhost}), any port (RFC 8252 section 7.3), or an {@code https} URL the app
 *       claims (section 7.2). Private-use schemes ({@code com.example.app:/cb}) are not accepted.</li>
 * </ul>
 *
 * <h2>How a request's URI matches</h2>
 * Character for character, never by prefix or pattern: this is what makes {@code /authorize}
 * useless as an open redirector. The one exception is RFC 8252's: for a loopback {@code http}
 * URI, the port is ignored, because a native app learns its port only when it starts listening.
 */
final class RedirectUris {

    static final int MAX_LENGTH = 512;

    private RedirectUris() {
    }

    /** Why {@code uri} may not be registered by a client of this type, or empty if it may. */
    static Optional<String> problem(String uri, RegisteredClient.ApplicationType type) {
        Optional<URI> parsed = parse(uri);
        if (parsed.isEmpty()) {
            return Optional.of("a redirect URI must be an absolute URI of at most " + MAX_LENGTH
                    + " characters, without fragment or user info");
        }
        URI u = parsed.get();
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        boolean loopback = isLoopbackHost(u.getHost());
        if (type == RegisteredClient.ApplicationType.WEB) {
            if (!"https".equals(scheme) || loopback) {
                return Optional.of("a web client's redirect URIs must be https on a host that is not loopback; "
                        + "a client running on the user's device registers with application_type native");
            }
            return Optional.empty();
        }
        if ("https".equals(scheme) || ("http".equals(scheme) && loopback)) {
            return Optional.empty();
        }
        return Optional.of("a native client's redirect URIs must be http on a loopback address (any port, RFC 8252) "
                + "or https");
    }

    /** The type implied by redirect URIs when a client does not say: native if any is loopback http. */
    static RegisteredClient.ApplicationType inferredType(List<String> uris) {
        for (String uri : uris) {
            Optional<URI> parsed = parse(uri);
            if (parsed.isPresent() && isLoopbackHttp(parsed.get())) {
                return RegisteredClient.ApplicationType.NATIVE;
            }
        }
        return RegisteredClient.ApplicationType.WEB;
    }

    /** Whether {@code requested} is one of {@code registered} (see the class comment). */
    static boolean matches(List<String> registered, String requested) {
        if (requested == null) {
            return false;
        }
        for (String candidate : registered) {
            if (candidate.equals(requested)) {
                return true;
            }
        }
        Optional<URI> asked = parse(requested);
        if (asked.isEmpty() || !isLoopbackHttp(asked.get())) {
            return false;
        }
        for (String candidate : registered) {
            Optional<URI> allowed = parse(candidate);
            if (allowed.isPresent() && isLoopbackHttp(allowed.get())
                    && "http".equals(asked.get().getScheme()) && "http".equals(allowed.get().getScheme())
                    && Objects.equals(asked.get().getHost(), allowed.get().getHost())
                    && Objects.equals(path(asked.get()), path(allowed.get()))
                    && Objects.equals(asked.get().getRawQuery(), allowed.get().getRawQuery())) {
                return true;
            }
        }
        return false;
    }

    private static String path(URI uri) {
        return uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    }

    /** Whether the registered {@code uri} is http on a loopback host. */
    static boolean isLoopbackHttp(String uri) {
        return parse(uri).map(RedirectUris::isLoopbackHttp).orElse(false);
    }

    private static Optional<URI> parse(String uri) {
        if (uri == null || uri.isEmpty() || uri.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return Optional.empty();
            }
        }
        try {
            URI parsed = new URI(uri);
            if (!parsed.isAbsolute() || parsed.isOpaque() || parsed.getHost() == null || parsed.getRawFragment() != null
                    || parsed.getRawUserInfo() != null) {
                return Optional.empty();
            }
            return Optional.of(parsed);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code uri} is http on a loopback host (a native app on this computer, RFC 8252 section 7.3). */
    static boolean isLoopbackHttp(URI uri) {
        return "http".equalsIgnoreCase(uri.getScheme()) && isLoopbackHost(uri.getHost());
    }

    private static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.equals("localhost") || lower.equals("[::1]") || lower.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
