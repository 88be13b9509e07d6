package dev.entramcp.adapter.graph;

import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.model.UserProfile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A short-lived, size-bounded cache of {@code /me} answers, keyed by the caller's tenant and
 * object id, so that a chatty client does not hammer Graph. Least recently used entries go first
 * when it is full. It holds profiles only, never a token.
 */
final class ProfileCache {

    private record Entry(UserProfile profile, Instant expiresAt) {
    }

    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;
    private final LinkedHashMap<PrincipalId, Entry> entries;

    ProfileCache(Duration ttl, int maxEntries, Clock clock) {
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<PrincipalId, Entry> eldest) {
                return size() > ProfileCache.this.maxEntries;
            }
        };
    }

    synchronized Optional<UserProfile> get(PrincipalId principal) {
        Entry entry = entries.get(principal);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            entries.remove(principal);
            return Optional.empty();
        }
        return Optional.of(entry.profile());
    }

    synchronized void put(PrincipalId principal, UserProfile profile) {
        if (maxEntries > 0 && !ttl.isZero()) {
            entries.put(principal, new Entry(profile, clock.instant().plus(ttl)));
        }
    }

    synchronized int size() {
        return entries.size();
    }
}
