package dev.entramcp.adapter.entra;

import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.PrincipalId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The On-Behalf-Of results, partitioned by principal ({@code tid}, {@code oid}) and bounded in both
 * directions: at most {@code maxPrincipals} principals (least recently used dropped) and, per
 * principal, at most {@value #MAX_ENTRIES_PER_PRINCIPAL} entries keyed by (SHA-256 of the inbound
 * token, scopes). A token is served only while it stays valid for {@code minimumValidity} more,
 * and only to the principal and inbound token it was obtained for. No inbound token is kept, only
 * its hash.
 */
final class OnBehalfOfTokenCache {

    static final int MAX_ENTRIES_PER_PRINCIPAL = 8;

    private final Map<PrincipalId, Map<String, AccessToken>> partitions;
    private final Duration minimumValidity;

    OnBehalfOfTokenCache(int maxPrincipals, Duration minimumValidity) {
        this.minimumValidity = minimumValidity;
        this.partitions = lru(maxPrincipals);
    }

    synchronized Optional<AccessToken> get(PrincipalId principal, String assertion, Set<String> scopes, Instant now) {
        Map<String, AccessToken> partition = partitions.get(principal);
        if (partition == null) {
            return Optional.empty();
        }
        String key = key(assertion, scopes);
        AccessToken token = partition.get(key);
        if (token == null) {
            return Optional.empty();
        }
        if (token.isExpiredAt(now.plus(minimumValidity))) {
            partition.remove(key);
            return Optional.empty();
        }
        return Optional.of(token);
    }

    synchronized void put(PrincipalId principal, String assertion, Set<String> scopes, AccessToken token) {
        partitions.computeIfAbsent(principal, p -> lru(MAX_ENTRIES_PER_PRINCIPAL)).put(key(assertion, scopes), token);
    }

    synchronized int principals() {
        return partitions.size();
    }

    private static String key(String assertion, Set<String> scopes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(assertion.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + " " + String.join(" ", new TreeSet<>(scopes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static <K, V> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }
}
