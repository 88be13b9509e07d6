package dev.entramcp.adapter.graph;

import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;

import java.util.Set;

/**
 * Gets a Graph token again for this caller and these scopes, bypassing any token the source has
 * cached: asked at most once per Graph call, after Graph answered 401 to the token the
 * {@link dev.entramcp.domain.port.out.AcquireDownstreamTokenPort} gave. Graph may reject a token
 * that has not expired yet (its session was revoked, the user's password changed, a policy ended
 * it); a token source with a cache (msal4j's) would hand the same rejected token back until it
 * expires, so "sign in again" could not work without this.
 *
 * <p>Failures arrive as a {@link dev.entramcp.domain.model.ToolFailureException}, as from the port.
 * An adapter-level seam, wired by the composition root: the domain's port has no way to say
 * "not the cached one".
 */
@FunctionalInterface
public interface RefreshDownstreamToken {

    AccessToken refreshToken(CallerIdentity caller, Set<String> scopes);
}
