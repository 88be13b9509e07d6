package dev.entramcp.adapter.entra;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.UpstreamTokens;

import java.util.Objects;

/**
 * The outcome of redeeming an authorization code: who signed in (from the ID token, with this
 * server's client id as the client application) and the Entra tokens to keep for them.
 */
public record UpstreamSignIn(CallerIdentity caller, UpstreamTokens tokens) {

    public UpstreamSignIn {
        Objects.requireNonNull(caller, "'caller' must not be null");
        Objects.requireNonNull(tokens, "'tokens' must not be null");
    }
}
