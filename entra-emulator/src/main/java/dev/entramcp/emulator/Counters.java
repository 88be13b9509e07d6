package dev.entramcp.emulator;

import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of what the emulator has counted, for tests that must prove a flow did (or did not) reach the
 * identity provider: a silent call served from a cache makes no token request; a refresh makes exactly one.
 *
 * @param signIns       completed interactive and device-code sign-ins, by username
 * @param tokenRequests requests to the token endpoint, by grant, whatever their outcome
 * @param tokensIssued  successful token responses, by grant
 */
public record Counters(Map<String, Integer> signIns, Map<Grant, Integer> tokenRequests,
                       Map<Grant, Integer> tokensIssued) {

    public Counters {
        signIns = Map.copyOf(Objects.requireNonNull(signIns, "'signIns' must not be null"));
        tokenRequests = Map.copyOf(Objects.requireNonNull(tokenRequests, "'tokenRequests' must not be null"));
        tokensIssued = Map.copyOf(Objects.requireNonNull(tokensIssued, "'tokensIssued' must not be null"));
    }

    public int signIns(String username) {
        return signIns.getOrDefault(username, 0);
    }

    public int tokenRequests(Grant grant) {
        return tokenRequests.getOrDefault(grant, 0);
    }

    public int tokensIssued(Grant grant) {
        return tokensIssued.getOrDefault(grant, 0);
    }

    public int totalTokenRequests() {
        return tokenRequests.values().stream().mapToInt(Integer::intValue).sum();
    }
}
