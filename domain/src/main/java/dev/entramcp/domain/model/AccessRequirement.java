package dev.entramcp.domain.model;

import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a caller must hold to see and call a tool. One policy serves both {@code tools/list}
 * (a tool the caller may not call is not listed) and {@code tools/call} (a call is refused).
 *
 * <p>Delegated (user) callers are checked against both scopes and app roles. App-only callers
 * carry no scopes, so they are admitted only where the requirement allows applications, and then
 * on their app roles alone. A requirement that needs scopes and allows applications must
 * therefore name roles too, or any application would pass; the constructor refuses it.
 *
 * @param scopes         delegated scopes, matched with {@code scopeMatch}
 * @param scopeMatch     all-of or any-of
 * @param roles          app roles, matched with {@code roleMatch}
 * @param roleMatch      all-of or any-of
 * @param appOnlyAllowed whether an application without a user may call the tool
 */
public record AccessRequirement(SortedSet<String> scopes, Match scopeMatch,
                                SortedSet<String> roles, Match roleMatch,
                                boolean appOnlyAllowed) {

    public AccessRequirement {
        scopes = Require.sortedSetOfNonBlank(scopes, "scopes");
        Require.notNull(scopeMatch, "scopeMatch");
        roles = Require.sortedSetOfNonBlank(roles, "roles");
        Require.notNull(roleMatch, "roleMatch");
        if (appOnlyAllowed && !scopes.isEmpty() && roles.isEmpty()) {
            throw new IllegalArgumentException(
                    "'roles' must not be empty when applications are allowed and scopes are required: "
                            + "app-only callers have no scopes, so any application would pass");
        }
    }

    /** Any authenticated caller, user or application. */
    public static AccessRequirement anyAuthenticatedCaller() {
        return signedInUser().allowingApplications();
    }

    /**
     * Any signed-in user; applications without a user are refused. Narrow it with the
     * {@code with...} methods, then call {@link #allowingApplications()} last if applications
     * holding the roles may call too.
     */
    public static AccessRequirement signedInUser() {
        return new AccessRequirement(new TreeSet<>(), Match.ALL_OF, new TreeSet<>(), Match.ALL_OF, false);
    }

    /** The same requirement, also admitting applications that hold its roles. */
    public AccessRequirement allowingApplications() {
        return new AccessRequirement(scopes, scopeMatch, roles, roleMatch, true);
    }

    public AccessRequirement withAllScopes(String... required) {
        return new AccessRequirement(set(required), Match.ALL_OF, roles, roleMatch, appOnlyAllowed);
    }

    public AccessRequirement withAnyScope(String... required) {
        return new AccessRequirement(set(required), Match.ANY_OF, roles, roleMatch, appOnlyAllowed);
    }

    public AccessRequirement withAllRoles(String... required) {
        return new AccessRequirement(scopes, scopeMatch, set(required), Match.ALL_OF, appOnlyAllowed);
    }

    public AccessRequirement withAnyRole(String... required) {
        return new AccessRequirement(scopes, scopeMatch, set(required), Match.ANY_OF, appOnlyAllowed);
    }

    /** Evaluates the caller against this requirement. */
    public Decision evaluate(CallerIdentity caller) {
        Require.notNull(caller, "caller");
        SortedSet<String> missingRoles = missing(roles, roleMatch, caller.roles());
        if (!caller.isUser()) {
            if (!appOnlyAllowed) {
                return new Decision.Denied(new TreeSet<>(), scopeMatch, new TreeSet<>(), roleMatch, true, scopes);
            }
            return missingRoles.isEmpty()
                    ? Decision.ALLOWED
                    : new Decision.Denied(new TreeSet<>(), scopeMatch, missingRoles, roleMatch, false, scopes);
        }
        SortedSet<String> missingScopes = missing(scopes, scopeMatch, caller.scopes());
        if (missingScopes.isEmpty() && missingRoles.isEmpty()) {
            return Decision.ALLOWED;
        }
        return new Decision.Denied(missingScopes, scopeMatch, missingRoles, roleMatch, false, scopes);
    }

    private static SortedSet<String> missing(SortedSet<String> required, Match match, SortedSet<String> held) {
        if (required.isEmpty()) {
            return new TreeSet<>();
        }
        if (match == Match.ANY_OF) {
            return required.stream().anyMatch(held::contains) ? new TreeSet<>() : new TreeSet<>(required);
        }
        TreeSet<String> missing = new TreeSet<>(required);
        missing.removeAll(held);
        return missing;
    }

    private static SortedSet<String> set(String... values) {
        Require.notNull(values, "values");
        List<String> list = Arrays.asList(values);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("'values' must name at least one scope or role");
        }
        return Require.sortedSetOfNonBlank(list, "values");
    }
}
