package dev.entramcp.domain.port.out;

import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;

import java.util.Set;

/**
 * Gets an access token for a downstream API, for this caller and these scopes: On-Behalf-Of the
 * caller's own token on the server, the signed-in public client locally, or the stored upstream
 * tokens in authorization-server facade mode. The caller's inbound token is never returned here:
 * the token returned has the downstream's audience.
 * Failures arrive as a {@link dev.entramcp.domain.model.ToolFailureException}.
 */
@FunctionalInterface
public interface AcquireDownstreamTokenPort {

    AccessToken acquireToken(CallerIdentity caller, Set<String> scopes);
}
