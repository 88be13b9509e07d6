package dev.entramcp.domain.model;

import java.util.SortedSet;

/**
 * The outcome of checking a caller against a tool's {@link AccessRequirement}. Expected refusals
 * are values, not exceptions, so that every transport can turn them into its own precise answer
 * (HTTP 403 {@code insufficient_scope}, a JSON-RPC error naming a role, a hidden tool).
 */
public sealed interface Decision permits Decision.Allowed, Decision.Denied {

    Allowed ALLOWED = new Allowed();

    boolean isAllowed();

    /** The caller may use the tool. */
    record Allowed() implements Decision {
        @Override
        public boolean isAllowed() {
            return true;
        }
    }

    /**
     * The caller may not use the tool, and exactly why.
     *
     * @param missingScopes  scopes the caller lacks: all of them for {@link Match#ALL_OF}, the
     *                       alternatives for {@link Match#ANY_OF} (any one would do)
     * @param scopeMatch     how {@code missingScopes} is to be read
     * @param missingRoles   app roles the caller lacks, read the same way with {@code roleMatch}
     * @param roleMatch      how {@code missingRoles} is to be read
     * @param appOnlyRefused an application called a tool that needs a signed-in user
     * @param requiredScopes every scope the tool needs, for a step-up challenge
     */
    record Denied(SortedSet<String> missingScopes, Match scopeMatch,
                  SortedSet<String> missingRoles, Match roleMatch,
                  boolean appOnlyRefused, SortedSet<String> requiredScopes) implements Decision {

        public Denied {
            missingScopes = Require.sortedSetOfNonBlank(missingScopes, "missingScopes");
            Require.notNull(scopeMatch, "scopeMatch");
            missingRoles = Require.sortedSetOfNonBlank(missingRoles, "missingRoles");
            Require.notNull(roleMatch, "roleMatch");
            requiredScopes = Require.sortedSetOfNonBlank(requiredScopes, "requiredScopes");
            if (missingScopes.isEmpty() && missingRoles.isEmpty() && !appOnlyRefused) {
                throw new IllegalArgumentException("a 'Denied' decision must name what is missing");
            }
        }

        @Override
        public boolean isAllowed() {
            return false;
        }

        /** True when more scopes would help: the case for an HTTP 403 {@code insufficient_scope}. */
        public boolean lacksScopes() {
            return !missingScopes.isEmpty();
        }

        /** True when the only shortfall is app roles, which a user cannot step up to by consenting. */
        public boolean lacksOnlyRoles() {
            return missingScopes.isEmpty() && !appOnlyRefused && !missingRoles.isEmpty();
        }

        /** A sentence for people and logs: what is missing, never anything the caller holds. */
        public String reason() {
            StringBuilder reason = new StringBuilder();
            if (appOnlyRefused) {
                reason.append("this tool needs a signed-in user; app-only tokens are not accepted");
            }
            append(reason, "scope", missingScopes, scopeMatch);
            append(reason, "app role", missingRoles, roleMatch);
            return reason.toString();
        }

        private static void append(StringBuilder reason, String what, SortedSet<String> missing, Match match) {
            if (missing.isEmpty()) {
                return;
            }
            if (reason.length() > 0) {
                reason.append("; ");
            }
            if (missing.size() == 1) {
                reason.append("missing ").append(what).append(' ').append(missing.first());
            } else if (match == Match.ALL_OF) {
                reason.append("missing ").append(what).append("s ").append(String.join(", ", missing));
            } else {
                reason.append("missing one of the ").append(what).append("s ").append(String.join(", ", missing));
            }
        }
    }
}
