package dev.entramcp.app.local;

import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.tool.ToolCatalog;

import java.util.Set;
import java.util.TreeSet;

/**
 * What the local server asks Entra for when the person signs in: every delegated scope a tool of
 * the catalog requires, so that adding a tool to the catalog is enough for the sign-in to ask for
 * its permission too. (Locally the caller's scopes are the Graph token's scopes, which is why a
 * tool's requirement names Graph permissions such as {@code User.Read}.)
 *
 * <p>Entra puts in the token every scope of Graph that the user or an administrator consented to,
 * and at sign-in it asks the person to consent to the scopes requested that nobody has granted yet.
 * A scope only an administrator may grant ({@code GroupMember.Read.All}) must therefore be granted
 * by one before a tool requiring it ships: otherwise every sign-in stops at "Need admin approval".
 */
final class SignInScopes {

    /** Asked for when no tool requires a scope: the least a Graph sign-in can ask for. */
    static final String MINIMUM = "User.Read";

    private SignInScopes() {
    }

    /** The union of the scopes every tool requires (all of them for an any-of requirement), sorted. */
    static Set<String> of(ToolCatalog tools) {
        Set<String> scopes = new TreeSet<>();
        for (ToolDescriptor tool : tools.descriptors()) {
            scopes.addAll(tool.requirement().scopes());
        }
        if (scopes.isEmpty()) {
            scopes.add(MINIMUM);
        }
        return Set.copyOf(scopes);
    }
}
