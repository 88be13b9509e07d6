package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.SharedMcpServer;
import dev.entramcp.adapter.http.support.TestCallers;
import dev.entramcp.adapter.http.support.TestWiring;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The stateful Streamable HTTP transport driven by the MCP SDK's own Java client, over real HTTP,
 * each client carrying its caller's bearer token.
 */
@ExtendWith(SharedMcpServer.class)
class StreamableHttpTransportTest {

    private final McpTestServer server;
    private final TestWiring.ProfileBehaviour profiles;
    private final TestWiring.SentMail sentMail;
    private final List<McpSyncClient> clients = new ArrayList<>();

    StreamableHttpTransportTest(McpTestServer server) {
        this.server = server;
        this.profiles = server.bean(TestWiring.ProfileBehaviour.class);
        this.sentMail = server.bean(TestWiring.SentMail.class);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(McpSyncClient::closeGracefully);
        profiles.reset();
    }

    private McpSyncClient client(CallerIdentity caller) {
        return client(caller, spec -> {
        });
    }

    private McpSyncClient client(CallerIdentity caller, Consumer<McpClient.SyncSpec> customizer) {
        String token = server.tokenFor(caller);
        McpClient.SyncSpec spec = McpClient.sync(server.streamableTransport(() -> token))
                .requestTimeout(Duration.ofSeconds(10))
                .initializationTimeout(Duration.ofSeconds(10));
        customizer.accept(spec);
        McpSyncClient client = spec.build();
        clients.add(client);
        client.initialize();
        return client;
    }

    private static List<String> names(McpSchema.ListToolsResult result) {
        return result.tools().stream().map(McpSchema.Tool::name).toList();
    }

    @Test
    void givenAliceAndBob_listTools_eachSeesOnlyTheToolsTheirGrantsAllow() {
        McpSyncClient alice = client(TestCallers.alice());
        McpSyncClient bob = client(TestCallers.bob());

        List<String> aliceSees = names(alice.listTools());
        List<String> bobSees = names(bob.listTools());

        assertThat(aliceSees).containsExactly("whoami", "get_user_profile");
        assertThat(bobSees).containsExactly("whoami", "get_user_profile", "send_mail");
    }

    @Test
    void givenAToolDescriptor_listTools_carriesTitleSchemaAndHints() {
        McpSyncClient bob = client(TestCallers.bob());

        McpSchema.Tool sendMail = bob.listTools().tools().stream()
                .filter(tool -> tool.name().equals("send_mail")).findFirst().orElseThrow();

        assertThat(sendMail.title()).isEqualTo("Send a mail");
        assertThat(sendMail.inputSchema()).containsEntry("type", "object").containsKey("properties");
        assertThat(sendMail.annotations().readOnlyHint()).isFalse();
        assertThat(sendMail.annotations().openWorldHint()).isTrue();
        assertThat(sendMail.annotations().destructiveHint()).isFalse();
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenAlice_callWhoami_returnsTextAndStructuredContentForHerOwnIdentity() {
        McpSyncClient alice = client(TestCallers.alice());

        McpSchema.CallToolResult result = alice.callTool(McpSchema.CallToolRequest.builder("whoami").arguments(Map.of()).build());

        assertThat(result.isError()).isFalse();
        assertThat(((McpSchema.TextContent) result.content().get(0)).text()).startsWith("You are Alice");
        assertThat(result.structuredContent()).isInstanceOfSatisfying(Map.class,
                identity -> assertThat(identity).containsEntry("objectId", Callers.ALICE_OID));
    }

    @Test
    void givenAFailingDownstream_callTool_returnsAToolErrorWithTheUserMessage() {
        profiles.current.set(caller -> {
            throw new ToolFailureException(new ToolFailure.DownstreamUnavailable("Graph did not answer."));
        });
        McpSyncClient alice = client(TestCallers.alice());

        McpSchema.CallToolResult result = alice.callTool(McpSchema.CallToolRequest.builder("get_user_profile")
                .arguments(Map.of()).build());

        assertThat(result.isError()).isTrue();
        assertThat(((McpSchema.TextContent) result.content().get(0)).text())
                .isEqualTo("The downstream service is unavailable: Graph did not answer. Try again later.");
    }

    @Test
    void givenAToolThatThrowsUnexpectedly_callTool_answersWithoutLeakingTheExceptionOrAStackTrace() {
        profiles.current.set(caller -> {
            throw new IllegalStateException("connection string password=hunter2");
        });
        McpSyncClient alice = client(TestCallers.alice());

        McpSchema.CallToolResult result = alice.callTool(McpSchema.CallToolRequest.builder("get_user_profile")
                .arguments(Map.of()).build());

        String text = ((McpSchema.TextContent) result.content().get(0)).text();
        assertThat(result.isError()).isTrue();
        assertThat(text).contains("correlation id").doesNotContain("hunter2");
        RawMcp.assertNoStackTrace(text);
    }

    @Test
    void givenAProgressToken_callTool_deliversTheProgressNotificationWhileTheToolIsStillRunning() {
        CountDownLatch progressSeen = new CountDownLatch(1);
        List<McpSchema.ProgressNotification> notifications = new ArrayList<>();
        profiles.current.set(caller -> {
            try {
                if (!progressSeen.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the progress notification did not arrive while the tool ran");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return TestWiring.ProfileBehaviour.DEFAULT.apply(caller);
        });
        McpSyncClient alice = client(TestCallers.alice(), spec -> spec.progressConsumer(notification -> {
            notifications.add(notification);
            progressSeen.countDown();
        }));

        McpSchema.CallToolResult result = alice.callTool(McpSchema.CallToolRequest.builder("get_user_profile")
                .arguments(Map.of()).progressToken("progress-1").build());

        assertThat(result.isError()).isFalse();
        assertThat(((McpSchema.TextContent) result.content().get(0)).text()).startsWith("Alice");
        assertThat(notifications).singleElement().satisfies(notification -> {
            assertThat(notification.progressToken()).isEqualTo("progress-1");
            assertThat(notification.message()).isEqualTo("Calling get_user_profile");
        });
    }

    @Test
    void givenAliceWithoutTheAppRole_callSendMail_getsAJsonRpcErrorNamingTheRole() {
        McpSyncClient alice = client(TestCallers.alice());

        assertThatExceptionOfType(McpError.class)
                .isThrownBy(() -> alice.callTool(McpSchema.CallToolRequest.builder("send_mail")
                        .arguments(Map.of("to", List.of("carol@contoso.example"), "subject", "Hi", "body", "Hello"))
                        .build()))
                .satisfies(error -> {
                    assertThat(error.getJsonRpcError().code()).isEqualTo(JsonRpcCodec.FORBIDDEN);
                    assertThat(error.getJsonRpcError().message()).isEqualTo("Forbidden: missing app role Mail.Sender");
                });
        assertThat(sentMail.subjects).doesNotContain("Hi");
    }

    @Test
    void givenBobWithTheAppRole_callSendMail_sendsTheMail() {
        McpSyncClient bob = client(TestCallers.bob());

        McpSchema.CallToolResult result = bob.callTool(McpSchema.CallToolRequest.builder("send_mail")
                .arguments(Map.of("to", List.of("carol@contoso.example"), "subject", "Quarterly report", "body", "Attached."))
                .build());

        assertThat(result.isError()).isFalse();
        assertThat(sentMail.subjects).contains("Quarterly report");
    }

    @Test
    void givenAnUnknownTool_callTool_getsInvalidParams() {
        McpSyncClient alice = client(TestCallers.alice());

        assertThatExceptionOfType(McpError.class)
                .isThrownBy(() -> alice.callTool(McpSchema.CallToolRequest.builder("no_such_tool").arguments(Map.of()).build()))
                .satisfies(error -> {
                    assertThat(error.getJsonRpcError().code()).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
                    assertThat(error.getJsonRpcError().message()).startsWith("Unknown tool");
                });
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenTwoUsersInParallel_callWhoami_eachGetsTheirOwnIdentity() {
        McpSyncClient alice = client(TestCallers.alice());
        McpSyncClient bob = client(TestCallers.bob());

        McpSchema.CallToolResult aliceResult = alice.callTool(McpSchema.CallToolRequest.builder("whoami").arguments(Map.of()).build());
        McpSchema.CallToolResult bobResult = bob.callTool(McpSchema.CallToolRequest.builder("whoami").arguments(Map.of()).build());

        assertThat((Map<String, Object>) aliceResult.structuredContent()).containsEntry("objectId", Callers.ALICE_OID);
        assertThat((Map<String, Object>) bobResult.structuredContent()).containsEntry("objectId", Callers.BOB_OID);
    }
}
