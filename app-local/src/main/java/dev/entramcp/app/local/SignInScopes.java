package dev.entramcp.app.local;

import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.tool.ToolCatalog;

import java.util.Set;
import java.util.TreeSet;

/**
 * What the local server asks Entra for when the person signs in: every delegated scope a tool of
 * the catalog requires that a user may consent to, plus the admin-consent scopes the person opted
 * in to ({@code --extra-scopes}). Adding a tool with a user-consentable scope to the catalog is
 * enough for the sign-in to ask for it too. (Locally the caller's scopes are the Graph token's
 * scopes, which is why a tool's requirement names Graph permissions such as {@code User.Read}.)
 *
 * <p><b>Why admin-consent scopes wait for an opt-in.</b> At sign-in Entra asks the person to consent
 * to the requested scopes nobody has granted yet, and a scope only an administrator may grant
 * ({@code GroupMember.Read.All}) stops the sign-in at "Need admin approval". Asking for it by
 * default would lock everyone out of {@code whoami} in a tenant where no administrator consented.
 * So it is asked for only when named; the caller's scopes are those asked for and granted, and the
 * domain policy hides the tools whose scope is missing ({@code list_my_groups}).
 */
final class SignInScopes {

    /** Asked for when no tool requires a user-consentable scope: the least a Graph sign-in can ask for. */
    static final String MINIMUM = "User.Read";

    /**
     * Graph delegated permissions that only an administrator can grant, among those this project's
     * tools use or are likely to (see "Microsoft Graph permissions reference", column "Admin consent
     * required"). A new tool requiring another one adds it here.
     */
    static final Set<String> ADMIN_CONSENT_REQUIRED = Set.of(
            "GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "User.Read.All");

    private SignInScopes() {
    }

    /**
     * The user-consentable scopes the tools require (all of them for an any-of requirement), plus
     * the opted-in ones; sorted.
     *
     * @throws LocalConfiguration.ConfigurationException when an opted-in scope is one no tool requires
     */
    static Set<String> of(ToolCatalog tools, Set<String> optedIn) {
        Set<String> required = new TreeSet<>();
        for (ToolDescriptor tool : tools.descriptors()) {
            required.addAll(tool.requirement().scopes());
        }
        for (String scope : optedIn) {
            if (!required.contains(scope)) {
                throw new LocalConfiguration.ConfigurationException("No tool needs the scope '" + scope
                        + "' named in --extra-scopes (ENTRA_MCP_EXTRA_SCOPES). The tools need: " + String.join(", ", required) + ".");
            }
        }
        Set<String> scopes = new TreeSet<>(required);
        scopes.removeAll(ADMIN_CONSENT_REQUIRED);
        scopes.addAll(optedIn);
        if (scopes.isEmpty()) {
            scopes.add(MINIMUM);
        }
        return Set.copyOf(scopes);
    }

    /** The admin-consent scopes the tools require: what a demo opts in to, since the emulator's app holds admin consent. */
    static Set<String> adminConsentScopesOf(ToolCatalog tools) {
        Set<String> scopes = new TreeSet<>();
        for (ToolDescriptor tool : tools.descriptors()) {
            tool.requirement().scopes().stream().filter(ADMIN_CONSENT_REQUIRED::contains).forEach(scopes::add);
        }
        return Set.copyOf(scopes);
    }
}
