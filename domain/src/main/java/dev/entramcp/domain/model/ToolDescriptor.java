package dev.entramcp.domain.model;

import java.util.Map;

/**
 * Everything a client learns about a tool, plus the requirement that decides who may call it.
 *
 * @param name        the name clients call it by
 * @param title       a short human-readable title
 * @param description what it does, for the model and the user
 * @param inputSchema a JSON Schema object, as plain Java maps and lists
 * @param hints       read-only / destructive / idempotent / open-world hints
 * @param requirement who may see and call it
 */
public record ToolDescriptor(ToolName name, String title, String description, Map<String, Object> inputSchema,
                             ToolHints hints, AccessRequirement requirement) {

    public ToolDescriptor {
        Require.notNull(name, "name");
        Require.maxLength(Require.notBlank(title, "title"), 128, "title");
        Require.maxLength(Require.notBlank(description, "description"), 4096, "description");
        inputSchema = Require.deepImmutableMap(inputSchema, "inputSchema");
        if (!"object".equals(inputSchema.get("type"))) {
            throw new IllegalArgumentException("'inputSchema' must be a JSON Schema of \"type\": \"object\"");
        }
        Require.notNull(hints, "hints");
        Require.notNull(requirement, "requirement");
    }
}
