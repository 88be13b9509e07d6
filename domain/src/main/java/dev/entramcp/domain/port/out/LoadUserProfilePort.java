package dev.entramcp.domain.port.out;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.UserProfile;

/**
 * Loads the signed-in caller's own directory profile (Microsoft Graph {@code GET /me}).
 * Failures arrive as a {@link dev.entramcp.domain.model.ToolFailureException}.
 */
@FunctionalInterface
public interface LoadUserProfilePort {

    UserProfile loadUserProfile(CallerIdentity caller);
}
