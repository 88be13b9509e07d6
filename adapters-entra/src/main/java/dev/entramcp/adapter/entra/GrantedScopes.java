package dev.entramcp.adapter.entra;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Scope strings between Entra and the domain. Entra answers with scopes as granted, sometimes
 * qualified by their resource ({@code https://graph.microsoft.com/User.Read}); the domain's policy
 * speaks of {@code User.Read}, as the {@code scp} claim does.
 */
final class GrantedScopes {

    private GrantedScopes() {
    }

    /** Splits a space-separated scope string and drops any resource prefix. */
    static SortedSet<String> unprefixed(String scopes) {
        SortedSet<String> result = new TreeSet<>();
        if (scopes == null) {
            return result;
        }
        Arrays.stream(scopes.trim().split("\\s+"))
                .filter(scope -> !scope.isBlank())
                .map(GrantedScopes::withoutResource)
                .filter(scope -> !scope.isBlank())
                .forEach(result::add);
        return result;
    }

    static String withoutResource(String scope) {
        int slash = scope.lastIndexOf('/');
        return slash >= 0 && scope.contains(":") ? scope.substring(slash + 1) : scope;
    }

    /** Qualifies bare scopes with the resource, for admin-consent URLs. */
    static Set<String> qualified(Collection<String> scopes, String resource) {
        String prefix = resource.endsWith("/") ? resource : resource + "/";
        Set<String> result = new LinkedHashSet<>();
        for (String scope : scopes) {
            result.add(scope.contains("://") || scope.startsWith("api:") ? scope : prefix + scope);
        }
        return result;
    }
}
