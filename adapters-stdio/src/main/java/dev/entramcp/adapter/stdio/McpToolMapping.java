package dev.entramcp.adapter.stdio;

import dev.entramcp.domain.model.CallToolOutcome;
import dev.entramcp.domain.model.Decision;
import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.model.ToolHints;
import dev.entramcp.domain.model.ToolResult;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * Translates between the domain and MCP at the stdio boundary: a {@link ToolDescriptor} becomes
 * an MCP {@code Tool}, and every {@link CallToolOutcome} becomes a {@code CallToolResult}. Locally
 * every outcome is a tool result, with {@code isError} and a message that says what to do, because
 * the person reading it is the one who can act (sign in, ask for a role, wait).
 */
final class McpToolMapping {

    private McpToolMapping() {
    }

    static McpSchema.Tool toMcp(ToolDescriptor descriptor) {
        ToolHints hints = descriptor.hints();
        return McpSchema.Tool.builder()
                .name(descriptor.name().value())
                .title(descriptor.title())
                .description(descriptor.description())
                .inputSchema(descriptor.inputSchema())
                .annotations(McpSchema.ToolAnnotations.builder()
                        .title(descriptor.title())
                        .readOnlyHint(hints.readOnly())
                        .destructiveHint(hints.destructive())
                        .idempotentHint(hints.idempotent())
                        .openWorldHint(hints.openWorld())
                        .build())
                .build();
    }

    static McpSchema.CallToolResult toMcp(CallToolOutcome outcome) {
        if (outcome instanceof CallToolOutcome.Completed completed) {
            ToolResult result = completed.result();
            McpSchema.CallToolResult.Builder builder = McpSchema.CallToolResult.builder()
                    .addTextContent(result.text())
                    .isError(false);
            if (result.hasStructuredContent()) {
                builder.structuredContent(result.structuredContent());
            }
            return builder.build();
        }
        if (outcome instanceof CallToolOutcome.Failed failed) {
            return error(failed.failure().userMessage());
        }
        if (outcome instanceof CallToolOutcome.Refused refused) {
            return error("Not allowed: " + refused.decision().reason() + ". " + advice(refused.decision()));
        }
        CallToolOutcome.UnknownTool unknown = (CallToolOutcome.UnknownTool) outcome;
        return error("Unknown tool: " + unknown.requestedName());
    }

    static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }

    private static String advice(Decision.Denied denied) {
        if (denied.appOnlyRefused()) {
            return "This tool acts for a signed-in user.";
        }
        if (denied.lacksScopes()) {
            return "Sign in again and consent to the missing permission, or ask an administrator to grant consent.";
        }
        return "Ask an administrator to assign you the app role.";
    }
}
