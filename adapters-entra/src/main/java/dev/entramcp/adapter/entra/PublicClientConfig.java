package dev.entramcp.adapter.entra;

import javax.net.ssl.SSLSocketFactory;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The local scenario's public client: who it is, where it signs in, and how long a tool call waits
 * for a person to finish signing in.
 *
 * @param clientId           the public client's application (client) id
 * @param authority          where to sign in (public cloud, another cloud, or a local stand-in)
 * @param scopes             the delegated scopes to ask for at sign-in (Graph {@code User.Read}, {@code Mail.Send})
 * @param signInMode         browser, device code, or automatic choice
 * @param signInWait         how long a tool call that needs a sign-in waits for it before it answers
 *                           "sign in at ... with code ..., then call the tool again" (default 45 s)
 * @param redirectUri        the loopback redirect for the browser flow; {@code http://localhost} picks a free port
 * @param interactiveTimeout how long the browser flow listens for the redirect before it gives up
 * @param sslSocketFactory   trust for a local stand-in's self-signed certificate; empty for the JDK's trust store
 */
public record PublicClientConfig(String clientId, EntraAuthority authority, Set<String> scopes, SignInMode signInMode,
                                 Duration signInWait, URI redirectUri, Duration interactiveTimeout,
                                 Optional<SSLSocketFactory> sslSocketFactory) {

    public static final Set<String> GRAPH_SCOPES = Set.of("User.Read", "Mail.Send");
    public static final Duration DEFAULT_SIGN_IN_WAIT = Duration.ofSeconds(45);
    public static final Duration DEFAULT_INTERACTIVE_TIMEOUT = Duration.ofMinutes(5);
    public static final URI DEFAULT_REDIRECT_URI = URI.create("http://localhost");

    public PublicClientConfig {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("'clientId' must not be blank (set AZURE_CLIENT_ID)");
        }
        Objects.requireNonNull(authority, "'authority' must not be null");
        Objects.requireNonNull(scopes, "'scopes' must not be null");
        if (scopes.isEmpty() || scopes.stream().anyMatch(s -> s == null || s.isBlank())) {
            throw new IllegalArgumentException("'scopes' must hold at least one non-blank scope");
        }
        scopes = Set.copyOf(new LinkedHashSet<>(scopes));
        Objects.requireNonNull(signInMode, "'signInMode' must not be null");
        Objects.requireNonNull(signInWait, "'signInWait' must not be null");
        if (signInWait.isNegative()) {
            throw new IllegalArgumentException("'signInWait' must not be negative");
        }
        Objects.requireNonNull(redirectUri, "'redirectUri' must not be null");
        if (!"http".equals(redirectUri.getScheme())
                || !("localhost".equals(redirectUri.getHost()) || "127.0.0.1".equals(redirectUri.getHost()))) {
            throw new IllegalArgumentException("'redirectUri' must be a loopback http URL (RFC 8252), like http://localhost");
        }
        Objects.requireNonNull(interactiveTimeout, "'interactiveTimeout' must not be null");
        if (interactiveTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("'interactiveTimeout' must be at least one second");
        }
        Objects.requireNonNull(sslSocketFactory, "'sslSocketFactory' must not be null");
    }

    /** Graph {@code User.Read} + {@code Mail.Send}, automatic sign-in mode, 45 s wait. */
    public static PublicClientConfig of(String clientId, EntraAuthority authority) {
        return new PublicClientConfig(clientId, authority, GRAPH_SCOPES, SignInMode.AUTO, DEFAULT_SIGN_IN_WAIT,
                DEFAULT_REDIRECT_URI, DEFAULT_INTERACTIVE_TIMEOUT, Optional.empty());
    }

    public PublicClientConfig withScopes(Set<String> newScopes) {
        return new PublicClientConfig(clientId, authority, newScopes, signInMode, signInWait, redirectUri, interactiveTimeout, sslSocketFactory);
    }

    public PublicClientConfig withSignInMode(SignInMode mode) {
        return new PublicClientConfig(clientId, authority, scopes, mode, signInWait, redirectUri, interactiveTimeout, sslSocketFactory);
    }

    public PublicClientConfig withSignInWait(Duration wait) {
        return new PublicClientConfig(clientId, authority, scopes, signInMode, wait, redirectUri, interactiveTimeout, sslSocketFactory);
    }

    public PublicClientConfig withInteractiveTimeout(Duration timeout) {
        return new PublicClientConfig(clientId, authority, scopes, signInMode, signInWait, redirectUri, timeout, sslSocketFactory);
    }

    public PublicClientConfig withSslSocketFactory(SSLSocketFactory factory) {
        return new PublicClientConfig(clientId, authority, scopes, signInMode, signInWait, redirectUri, interactiveTimeout,
                Optional.of(factory));
    }
}
