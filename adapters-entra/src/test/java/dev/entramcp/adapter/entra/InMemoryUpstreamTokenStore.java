package dev.entramcp.adapter.entra;

import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.model.UpstreamTokens;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The simplest store, for tests (the facade's real stores encrypt at rest). */
final class InMemoryUpstreamTokenStore implements UpstreamTokenStorePort {

    private final Map<PrincipalId, UpstreamTokens> tokens = new ConcurrentHashMap<>();

    @Override
    public Optional<UpstreamTokens> load(PrincipalId principal) {
        return Optional.ofNullable(tokens.get(principal));
    }

    @Override
    public void save(PrincipalId principal, UpstreamTokens upstreamTokens) {
        tokens.put(principal, upstreamTokens);
    }

    @Override
    public void delete(PrincipalId principal) {
        tokens.remove(principal);
    }
}
