package dev.entramcp.adapter.graph;

import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The token port for the adapter's tests: issues {@link FakeGraph} tokens, like Entra would,
 * carrying the requested Graph permissions the user has consented to. A scope outside Graph's
 * prefix is refused loudly, so a wrong scope in the adapter cannot pass unnoticed.
 */
final class FakeTokens implements AcquireDownstreamTokenPort {

    /** What the adapter asked for. */
    record Request(CallerIdentity caller, Set<String> scopes) {
    }

    private final FakeGraph graph;
    private final String scopePrefix;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private final Map<PrincipalId, Set<String>> withheld = new ConcurrentHashMap<>();

    FakeTokens(FakeGraph graph, String scopePrefix) {
        this.graph = graph;
        this.scopePrefix = scopePrefix;
    }

    /** {@code user}'s tokens will not carry {@code permission}: as if it was never consented. */
    void withhold(PrincipalId user, String permission) {
        withheld.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(permission);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Every token handed out, oldest first. */
    List<String> issued() {
        return List.copyOf(issued);
    }

    @Override
    public AccessToken acquireToken(CallerIdentity caller, Set<String> scopes) {
        requests.add(new Request(caller, Set.copyOf(scopes)));
        for (String scope : scopes) {
            if (!scope.startsWith(scopePrefix)) {
                throw new IllegalStateException("not a Graph scope: " + scope);
            }
        }
        Set<String> permissions = scopes.stream().map(scope -> scope.substring(scopePrefix.length()))
                .filter(permission -> !withheld.getOrDefault(caller.principal(), Set.of()).contains(permission))
                .collect(Collectors.toSet());
        String token = graph.issueToken(caller.principal(), permissions);
        issued.add(token);
        return AccessToken.of(token, Instant.now().plusSeconds(3600));
    }
}
