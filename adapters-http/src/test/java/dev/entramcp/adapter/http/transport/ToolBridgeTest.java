package dev.entramcp.adapter.http.transport;

import dev.entramcp.domain.model.AccessRequirement;
import dev.entramcp.domain.model.CallToolOutcome;
import dev.entramcp.domain.model.Decision;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolName;
import dev.entramcp.domain.model.ToolResult;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.tool.SendMailTool;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ToolBridgeTest {

    private static final ToolName TOOL = ToolName.of("send_mail");

    @Test
    void givenADescriptor_toSdkTool_carriesNameTitleSchemaAndHints() {
        McpSchema.Tool tool = ToolBridge.toSdkTool(new SendMailTool((caller, message) -> {
        }).descriptor());

        assertThat(tool.name()).isEqualTo("send_mail");
        assertThat(tool.title()).isEqualTo("Send a mail");
        assertThat(tool.inputSchema()).containsEntry("type", "object");
        assertThat(tool.annotations().readOnlyHint()).isFalse();
        assertThat(tool.annotations().idempotentHint()).isFalse();
        assertThat(tool.annotations().openWorldHint()).isTrue();
    }

    @Test
    void givenACompletedCall_toResult_givesTextAndStructuredContent() {
        McpSchema.CallToolResult result = ToolBridge.toResult(new CallToolOutcome.Completed(TOOL,
                ToolResult.of("Sent.", Map.of("sent", true))));

        assertThat(result.isError()).isFalse();
        assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("Sent.");
        assertThat(result.structuredContent()).isEqualTo(Map.of("sent", true));
    }

    @Test
    void givenAFailedCall_toResult_givesAToolErrorWithTheUserMessage() {
        McpSchema.CallToolResult result = ToolBridge.toResult(new CallToolOutcome.Failed(TOOL,
                new ToolFailure.SignInRequired("sign in again at https://login.example")));

        assertThat(result.isError()).isTrue();
        assertThat(((McpSchema.TextContent) result.content().get(0)).text())
                .isEqualTo("Sign-in required: sign in again at https://login.example");
        assertThat(result.structuredContent()).isNull();
    }

    @Test
    void givenAnUnknownTool_toResult_throwsInvalidParamsWithAPrintableName() {
        assertThatExceptionOfType(McpError.class)
                .isThrownBy(() -> ToolBridge.toResult(new CallToolOutcome.UnknownTool("evil\nname")))
                .satisfies(error -> {
                    assertThat(error.getJsonRpcError().code()).isEqualTo(-32602);
                    assertThat(error.getJsonRpcError().message()).isEqualTo("Unknown tool: evil?name");
                });
    }

    @Test
    void givenARefusal_toResult_throwsForbiddenNamingWhatIsMissing() {
        Decision.Denied denied = (Decision.Denied) AccessRequirement.signedInUser().withAllScopes("Mail.Send")
                .withAllRoles("Mail.Sender").evaluate(Callers.alice());

        assertThatExceptionOfType(McpError.class)
                .isThrownBy(() -> ToolBridge.toResult(new CallToolOutcome.Refused(TOOL, denied)))
                .satisfies(error -> {
                    assertThat(error.getJsonRpcError().code()).isEqualTo(JsonRpcCodec.FORBIDDEN);
                    assertThat(error.getJsonRpcError().message()).isEqualTo("Forbidden: missing app role Mail.Sender");
                    assertThat(error.getJsonRpcError().data()).isEqualTo(Map.of("reason", "missing app role Mail.Sender",
                            "missingRoles", java.util.List.of("Mail.Sender"), "requiredScopes", java.util.List.of("Mail.Send")));
                });
    }
}
