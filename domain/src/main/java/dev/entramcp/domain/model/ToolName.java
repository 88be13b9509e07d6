package dev.entramcp.domain.model;

import java.util.regex.Pattern;

/** A tool's name as clients call it; the MCP spec's allowed characters and length. */
public record ToolName(String value) {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    public ToolName {
        Require.matches(value, ALLOWED, "value", "1 to 128 characters of letters, digits, '_', '-' or '.'");
    }

    public static ToolName of(String value) {
        return new ToolName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
