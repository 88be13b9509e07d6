package dev.entramcp.domain.port.out;

import dev.entramcp.domain.model.CallerIdentity;

/**
 * Hands on who a signed-in user is now, as the upstream said when their tokens were last refreshed,
 * to whatever the server derived from their sign-in (in facade mode: the grants whose tokens carry
 * the user's app roles). Without it, a role removed upstream would keep working for as long as
 * what was derived from the sign-in lives. Implementations apply the change, or end what they can
 * no longer keep accurate; they do not throw for a well-formed user.
 */
@FunctionalInterface
public interface UpdateSignedInUserPort {

    /** {@code user} (its principal, names and app roles) is how the upstream describes the user now. */
    void update(CallerIdentity user);
}
