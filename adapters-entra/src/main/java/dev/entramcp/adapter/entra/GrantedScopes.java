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

    /**
     * The scopes granted: the token response's {@code scope}, or, when it has none, the scopes
     * requested (RFC 6749 section 5.1: the server may omit {@code scope} when it granted exactly
     * what was asked; msal4j also omits it for tokens served from its cache, which it serves only
     * when they cover every requested scope).
     */
    static SortedSet<String> granted(String responseScopes, Collection<String> requested) {
        if (responseScopes == null || responseScopes.isBlank()) {
            SortedSet<String> result = new TreeSet<>();
            requested.stream().map(GrantedScopes::withoutResource).forEach(result::add);
            return result;
        }
        return unprefixed(responseScopes);
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
