package dev.entramcp.domain.port.out;

import dev.entramcp.domain.model.UpstreamAuthorizationRequest;
import dev.entramcp.domain.model.UpstreamSignIn;
import dev.entramcp.domain.model.UpstreamTokens;

import java.net.URI;

/**
 * The server as a confidential client of the upstream identity provider (Entra), for
 * authorization-server facade mode: it sends the user's browser to the upstream, redeems the code
 * that comes back (with its PKCE verifier), and refreshes the tokens it holds.
 * Failures arrive as a {@link dev.entramcp.domain.model.ToolFailureException}; a refresh that the
 * upstream refuses (revoked, consent withdrawn) is a {@code SignInRequired}.
 */
public interface UpstreamAuthorizationPort {

    /** Where to send the browser to sign in upstream. */
    URI authorizationUrl(UpstreamAuthorizationRequest request);

    /** Redeems the authorization code the upstream sent to the callback. */
    UpstreamSignIn redeem(String code, String codeVerifier, URI redirectUri, String expectedNonce);

    /** Gets fresh tokens with the refresh token in {@code current}. */
    UpstreamTokens refresh(UpstreamTokens current);
}
