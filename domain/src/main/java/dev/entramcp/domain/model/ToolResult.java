package dev.entramcp.domain.model;

import java.util.Map;

/**
 * What a tool returns on success: text for the model and the user, and optionally the same
 * data as structured content (a JSON object as plain Java maps).
 */
public record ToolResult(String text, Map<String, Object> structuredContent) {

    public ToolResult {
        Require.notNull(text, "text");
        structuredContent = Require.deepImmutableMap(structuredContent, "structuredContent");
    }

    public static ToolResult text(String text) {
        return new ToolResult(text, Map.of());
    }

    public static ToolResult of(String text, Map<String, ?> structuredContent) {
        return new ToolResult(text, Require.deepImmutableMap(structuredContent, "structuredContent"));
    }

    public boolean hasStructuredContent() {
        return !structuredContent.isEmpty();
    }
}
