package dev.entramcp.domain.port.out;

import dev.entramcp.domain.model.UpstreamAuthorizationRequest;
import dev.entramcp.domain.model.UpstreamSignIn;
import dev.entramcp.domain.model.UpstreamTokens;

import java.net.URI;

/**
 * The server as a confidential client of the upstream identity provider (Entra), for
 * authorization-server facade mode: it sends the user's browser to the upstream, redeems the code
 * that comes back (with its PKCE verifier), and refreshes the tokens it holds (re-reading who the
 * user is, roles included, each time).
 * Failures arrive as a {@link dev.entramcp.domain.model.ToolFailureException}; a refresh that the
 * upstream refuses (revoked, consent withdrawn) is a {@code SignInRequired}.
 */
public interface UpstreamAuthorizationPort {

    /** Where to send the browser to sign in upstream. */
    URI authorizationUrl(UpstreamAuthorizationRequest request);

    /** Redeems the authorization code the upstream sent to the callback. */
    UpstreamSignIn redeem(String code, String codeVerifier, URI redirectUri, String expectedNonce);

    /**
     * Gets fresh tokens with the refresh token in {@code current}, and who the user is now: the
     * upstream's answer to a refresh carries a new ID token, whose app roles may differ from those
     * of the sign-in (an administrator removed or assigned one meanwhile). A refresh that comes
     * back without a readable ID token is refused like an expired sign-in ({@code SignInRequired}):
     * roles that cannot be re-read must not outlive the sign-in they came from.
     */
    UpstreamSignIn refresh(UpstreamTokens current);
}
