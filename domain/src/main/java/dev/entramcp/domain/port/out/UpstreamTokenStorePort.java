package dev.entramcp.domain.port.out;

import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.model.UpstreamTokens;

import java.util.Optional;

/**
 * Keeps the upstream (Entra) tokens the server obtained for a user, so that it can call
 * downstream APIs for that user later. Implementations encrypt at rest. Keyed by principal only,
 * so that a shared store (for several instances) fits the same port.
 */
public interface UpstreamTokenStorePort {

    Optional<UpstreamTokens> load(PrincipalId principal);

    void save(PrincipalId principal, UpstreamTokens tokens);

    void delete(PrincipalId principal);
}
