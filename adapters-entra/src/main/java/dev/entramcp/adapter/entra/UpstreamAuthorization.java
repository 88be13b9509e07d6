package dev.entramcp.adapter.entra;

import java.net.URI;
import java.util.Objects;
import java.util.Set;

/**
 * One authorization request the server sends the person to Entra with (authorization code + PKCE).
 * The server keeps it, keyed by {@code state}, until the callback; then it passes it back to
 * {@link EntraAuthorizationCodeClient#redeem} with the code. Only {@link #authorizeUrl()} leaves the
 * server.
 *
 * @param authorizeUrl where to redirect the browser
 * @param state        the single-use value binding the callback to this request (CSRF)
 * @param nonce        the value the ID token must carry back (replay)
 * @param verifier     the PKCE verifier, secret until the code is redeemed
 * @param redirectUri  the callback URL registered for the server
 * @param scopes       the scopes asked for
 */
public record UpstreamAuthorization(URI authorizeUrl, String state, String nonce, PkceVerifier verifier, URI redirectUri,
                                    Set<String> scopes) {

    public UpstreamAuthorization {
        Objects.requireNonNull(authorizeUrl, "'authorizeUrl' must not be null");
        if (state == null || state.isBlank()) {
            throw new IllegalArgumentException("'state' must not be blank");
        }
        if (nonce == null || nonce.isBlank()) {
            throw new IllegalArgumentException("'nonce' must not be blank");
        }
        Objects.requireNonNull(verifier, "'verifier' must not be null");
        Objects.requireNonNull(redirectUri, "'redirectUri' must not be null");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "'scopes' must not be null"));
    }
}
