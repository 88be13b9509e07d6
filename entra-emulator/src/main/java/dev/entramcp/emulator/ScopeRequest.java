package dev.entramcp.emulator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code scope} parameter read the way Entra's v2 endpoint reads it: OpenID scopes apart, then exactly one
 * resource. {@code api://<id>/X} or {@code <id>/X} names an app's API; {@code https://graph.microsoft.com/X}, Graph's
 * app id, or a bare {@code X} name Graph. {@code .default} means "everything this client may have on the resource".
 *
 * @param resource   the one resource the access token is for (Graph when only OpenID scopes were asked)
 * @param scopes     the resource's scopes asked for, spelled as the resource defines them (empty with .default)
 * @param dotDefault whether {@code <resource>/.default} was asked
 * @param oidc       the OpenID Connect scopes asked for: openid, profile, email, offline_access
 * @param asked      the resource scopes as the client spelled them, echoed in the response's {@code scope} so
 *                   that a client caching by scope string (msal4j does) finds its token again
 */
record ScopeRequest(Resource resource, Set<String> scopes, boolean dotDefault, Set<String> oidc, List<String> asked) {

    static final Set<String> OIDC = Set.of("openid", "profile", "email", "offline_access");

    ScopeRequest {
        scopes = Set.copyOf(scopes);
        oidc = Set.copyOf(oidc);
        asked = List.copyOf(asked);
    }

    static ScopeRequest parse(String raw, Directory directory) {
        if (raw == null || raw.isBlank()) {
            throw EntraError.missingParameter("scope");
        }
        Resource resource = null;
        Set<String> scopes = new LinkedHashSet<>();
        Set<String> oidc = new LinkedHashSet<>();
        boolean dotDefault = false;
        List<String> asked = new ArrayList<>();
        for (String token : raw.trim().split("\\s+")) {
            String lower = token.toLowerCase(Locale.ROOT);
            if (OIDC.contains(lower)) {
                oidc.add(lower);
                continue;
            }
            int slash = token.lastIndexOf('/');
            Resource named;
            String name;
            if (slash < 0) {
                named = Resource.GRAPH;
                name = token;
            } else {
                String prefix = token.substring(0, slash);
                name = token.substring(slash + 1);
                named = directory.resourceNamed(prefix).orElseThrow(() -> new EntraError(400, "invalid_resource",
                        500011, "The resource principal named " + prefix + " was not found in the tenant named "
                        + directory.tenantId() + ". This can happen if the application has not been installed by the"
                        + " administrator of the tenant or consented to by any user in the tenant. You might have sent"
                        + " your authentication request to the wrong tenant.", null));
            }
            if (resource != null && !resource.appId().equals(named.appId())) {
                throw EntraError.invalidScope(28000, "Provided value for the input parameter scope is not valid"
                        + " because it contains more than one resource. Scope " + raw + " is not valid.");
            }
            resource = named;
            asked.add(token);
            if (name.equalsIgnoreCase(".default")) {
                dotDefault = true;
            } else {
                String canonical = named.canonicalScope(name).orElseThrow(() -> EntraError.invalidScope(650053,
                        "The application asked for scope '" + name + "' that doesn't exist on the resource '"
                                + named.appId() + "'. Contact the app vendor."));
                scopes.add(canonical);
            }
        }
        if (dotDefault && !scopes.isEmpty()) {
            throw EntraError.invalidScope(70011, "The provided value for the input parameter 'scope' is not valid."
                    + " The scope '" + raw + "' is not valid: .default cannot be combined with other scopes of the"
                    + " same resource.");
        }
        return new ScopeRequest(resource == null ? Resource.GRAPH : resource, scopes, dotDefault, oidc, asked);
    }

    boolean openid() {
        return oidc.contains("openid");
    }

    boolean offlineAccess() {
        return oidc.contains("offline_access");
    }
}
