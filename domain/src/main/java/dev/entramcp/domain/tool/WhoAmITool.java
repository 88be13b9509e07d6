package dev.entramcp.domain.tool;

import dev.entramcp.domain.model.AccessRequirement;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.model.ToolHints;
import dev.entramcp.domain.model.ToolInvocation;
import dev.entramcp.domain.model.ToolName;
import dev.entramcp.domain.model.ToolResult;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code whoami}: shows the identity the server sees. No downstream call; any authenticated
 * caller. It teaches what reaches a tool: ids, names, scopes and roles, never the token.
 */
public final class WhoAmITool implements Tool {

    private static final ToolDescriptor DESCRIPTOR = new ToolDescriptor(
            ToolName.of("whoami"),
            "Who am I",
            "Shows the identity this server sees for you: user or application, tenant, object id, "
                    + "client application, delegated scopes and app roles. Makes no downstream call.",
            Map.of("type", "object", "properties", Map.of(), "additionalProperties", false),
            ToolHints.readOnly(false),
            AccessRequirement.anyAuthenticatedCaller());

    @Override
    public ToolDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ToolResult call(ToolInvocation invocation) {
        ToolArguments.of(invocation.arguments(), Set.of());
        CallerIdentity caller = invocation.caller();
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("kind", caller.isUser() ? "user" : "application");
        identity.put("tenantId", caller.principal().tenantId());
        identity.put("objectId", caller.principal().objectId());
        identity.put("username", caller.username());
        identity.put("displayName", caller.displayName());
        identity.put("clientAppId", caller.clientAppId());
        identity.put("scopes", caller.scopes().stream().toList());
        identity.put("roles", caller.roles().stream().toList());
        String text = "You are " + caller.label()
                + (caller.username().isBlank() ? "" : " (" + caller.username() + ")")
                + ", " + (caller.isUser() ? "a signed-in user" : "an application")
                + " of tenant " + caller.principal().tenantId()
                + ", calling through client " + caller.clientAppId()
                + ". Scopes: " + listOrNone(caller.scopes())
                + ". App roles: " + listOrNone(caller.roles()) + ".";
        return ToolResult.of(text, identity);
    }

    private static String listOrNone(Set<String> values) {
        return values.isEmpty() ? "none" : String.join(", ", values);
    }
}
