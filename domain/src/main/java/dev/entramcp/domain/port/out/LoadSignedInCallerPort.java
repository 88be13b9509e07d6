package dev.entramcp.domain.port.out;

import dev.entramcp.domain.model.CallerIdentity;

/**
 * Who is signed in to this local server. A local server has no inbound token: its one caller is
 * the person who signed in on this machine, as the identity provider vouches for them (their ID
 * token). Implementations sign the person in if needed, waiting a bounded time; when sign-in is
 * still pending after that, they throw a {@link dev.entramcp.domain.model.ToolFailureException}
 * with a {@link dev.entramcp.domain.model.ToolFailure.SignInRequired} that says where to sign in.
 */
@FunctionalInterface
public interface LoadSignedInCallerPort {

    CallerIdentity loadSignedInCaller();
}
