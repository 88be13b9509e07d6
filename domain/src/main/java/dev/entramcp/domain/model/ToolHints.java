package dev.entramcp.domain.model;

/**
 * What a client may assume about a tool (the MCP tool annotations). They are hints for the
 * client's UI, such as asking the user before a destructive call; they are never trusted for
 * authorization, which is the {@link AccessRequirement}'s job.
 */
public record ToolHints(boolean readOnly, boolean destructive, boolean idempotent, boolean openWorld) {

    /** Reads data, changes nothing. */
    public static ToolHints readOnly(boolean openWorld) {
        return new ToolHints(true, false, true, openWorld);
    }

    /** Has effects outside the server that cannot be undone, such as sending a mail. */
    public static ToolHints sideEffecting(boolean destructive, boolean openWorld) {
        return new ToolHints(false, destructive, false, openWorld);
    }
}
