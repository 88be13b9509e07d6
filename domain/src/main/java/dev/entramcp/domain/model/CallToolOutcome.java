package dev.entramcp.domain.model;

/**
 * The result of the call-tool use case. An unknown tool, a refused tool and a failing downstream
 * are three different outcomes, and each transport answers each one differently.
 */
public sealed interface CallToolOutcome {

    /** The tool ran. */
    record Completed(ToolName tool, ToolResult result) implements CallToolOutcome {
        public Completed {
            Require.notNull(tool, "tool");
            Require.notNull(result, "result");
        }
    }

    /** No tool of that name exists (or the name is not a valid tool name). */
    record UnknownTool(String requestedName) implements CallToolOutcome {
        public UnknownTool {
            Require.notNull(requestedName, "requestedName");
        }
    }

    /** The authorization policy refused the caller. */
    record Refused(ToolName tool, Decision.Denied decision) implements CallToolOutcome {
        public Refused {
            Require.notNull(tool, "tool");
            Require.notNull(decision, "decision");
        }
    }

    /** The tool was allowed but could not complete. */
    record Failed(ToolName tool, ToolFailure failure) implements CallToolOutcome {
        public Failed {
            Require.notNull(tool, "tool");
            Require.notNull(failure, "failure");
        }
    }
}
