package dev.entramcp.domain.tool;

import dev.entramcp.domain.model.AccessRequirement;
import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.model.ToolHints;
import dev.entramcp.domain.model.ToolInvocation;
import dev.entramcp.domain.model.ToolName;
import dev.entramcp.domain.model.ToolResult;
import dev.entramcp.domain.model.UserProfile;
import dev.entramcp.domain.port.out.LoadUserProfilePort;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code get_user_profile}: the caller's own directory profile from Microsoft Graph (the seed's
 * {@code GetUserDetailsFromGraph}). Needs a signed-in user holding the delegated scope
 * {@code User.Read}.
 */
public final class GetUserProfileTool implements Tool {

    public static final String REQUIRED_SCOPE = "User.Read";

    private static final ToolDescriptor DESCRIPTOR = new ToolDescriptor(
            ToolName.of("get_user_profile"),
            "Get my profile",
            "Returns your own directory profile from Microsoft Graph: display name, user principal "
                    + "name, mail, job title and office location.",
            Map.of("type", "object", "properties", Map.of(), "additionalProperties", false),
            ToolHints.readOnly(true),
            AccessRequirement.signedInUser().withAllScopes(REQUIRED_SCOPE));

    private final LoadUserProfilePort profiles;

    public GetUserProfileTool(LoadUserProfilePort profiles) {
        this.profiles = Objects.requireNonNull(profiles, "'profiles' must not be null");
    }

    @Override
    public ToolDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ToolResult call(ToolInvocation invocation) {
        ToolArguments.of(invocation.arguments(), Set.of());
        UserProfile profile = profiles.loadUserProfile(invocation.caller());
        StringBuilder text = new StringBuilder(profile.displayName().isBlank() ? profile.id() : profile.displayName());
        profile.userPrincipalName().ifPresent(upn -> text.append(" <").append(upn).append('>'));
        profile.jobTitle().ifPresent(title -> text.append(", ").append(title));
        profile.officeLocation().ifPresent(office -> text.append(", office ").append(office));
        profile.mail().ifPresent(mail -> text.append(", mail ").append(mail));
        return ToolResult.of(text.toString(), profile.asMap());
    }
}
