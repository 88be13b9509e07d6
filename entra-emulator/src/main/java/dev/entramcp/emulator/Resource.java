package dev.entramcp.emulator;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An API that tokens are issued for: Microsoft Graph, or an app registration that exposes scopes.
 *
 * @param appId         the resource's application id, which is the {@code aud} of its v2 access tokens
 * @param displayName   its name, for consent pages and messages
 * @param identifierUri the prefix of its fully qualified scopes ({@code https://graph.microsoft.com},
 *                      {@code api://<id>})
 * @param scopes        the delegated scopes it exposes
 * @param appRoles      the app roles it defines
 */
record Resource(String appId, String displayName, String identifierUri, Set<String> scopes, Set<String> appRoles) {

    /**
     * The Graph scopes the emulator knows. Its endpoints are unlocked by {@code User.Read} ({@code /me}, and
     * {@code /me/memberOf} with limited information), {@code Mail.Send} ({@code /me/sendMail}) and
     * {@code GroupMember.Read.All}, {@code Group.Read.All} or {@code Directory.Read.All} ({@code /me/memberOf}).
     */
    static final Resource GRAPH = new Resource(EntraEmulator.GRAPH_APP_ID, "Microsoft Graph",
            EntraEmulator.GRAPH_RESOURCE, Set.of("User.Read", "User.ReadBasic.All", "User.Read.All", "Mail.Read",
            "Mail.ReadWrite", "Mail.Send", "Calendars.Read", "Files.Read", "GroupMember.Read.All", "Group.Read.All",
            "Directory.Read.All"), Set.of());

    static Resource of(AppRegistration app) {
        return new Resource(app.clientId(), app.displayName(), app.appIdUri(), app.exposedScopes(), app.appRoles());
    }

    boolean isGraph() {
        return appId.equals(EntraEmulator.GRAPH_APP_ID);
    }

    /** True if a scope prefix names this resource: its identifier URI or its app id (case-insensitive). */
    boolean isNamedBy(String prefix) {
        String p = prefix.toLowerCase(Locale.ROOT);
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.equals(appId) || (identifierUri != null && p.equals(identifierUri.toLowerCase(Locale.ROOT)));
    }

    /** The scope as the resource spells it (Entra matches scope names case-insensitively). */
    Optional<String> canonicalScope(String name) {
        return scopes.stream().filter(s -> s.equalsIgnoreCase(name)).findFirst();
    }

    /** A scope as it appears in a token response's {@code scope}: bare for Graph, qualified for other APIs. */
    String qualify(String scope) {
        return isGraph() ? scope : identifierUri + "/" + scope;
    }
}
