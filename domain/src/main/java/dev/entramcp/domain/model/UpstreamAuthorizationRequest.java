package dev.entramcp.domain.model;

import java.net.URI;
import java.util.Collection;
import java.util.SortedSet;
import java.util.regex.Pattern;

/**
 * The server's own authorization request to the upstream identity provider (Entra), made in
 * authorization-server facade mode after the user consented. Every value is the server's own,
 * never the MCP client's: its own {@code state}, {@code nonce} and PKCE challenge, and its own
 * registered redirect URI.
 *
 * @param state         single-use, unguessable; binds the callback to this request
 * @param nonce         binds the ID token to this request
 * @param codeChallenge the S256 PKCE challenge (base64url of SHA-256 of the verifier)
 * @param redirectUri   the server's callback, registered with the upstream
 * @param scopes        what to ask the upstream for
 */
public record UpstreamAuthorizationRequest(String state, String nonce, String codeChallenge, URI redirectUri,
                                           SortedSet<String> scopes) {

    private static final Pattern BASE64URL_43 = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern OPAQUE = Pattern.compile("[A-Za-z0-9_-]{22,128}");

    public UpstreamAuthorizationRequest {
        Require.matches(state, OPAQUE, "state", "22 to 128 base64url characters");
        Require.matches(nonce, OPAQUE, "nonce", "22 to 128 base64url characters");
        Require.matches(codeChallenge, BASE64URL_43, "codeChallenge", "an S256 challenge (43 base64url characters)");
        Require.notNull(redirectUri, "redirectUri");
        scopes = Require.sortedSetOfNonBlank(scopes, "scopes");
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("'scopes' must name at least one scope");
        }
    }

    public static UpstreamAuthorizationRequest of(String state, String nonce, String codeChallenge, URI redirectUri,
                                                  Collection<String> scopes) {
        return new UpstreamAuthorizationRequest(state, nonce, codeChallenge, redirectUri,
                Require.sortedSetOfNonBlank(scopes, "scopes"));
    }
}
