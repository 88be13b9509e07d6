package dev.entramcp.app.remote;

import dev.entramcp.emulator.EntraEmulator;
import dev.entramcp.emulator.GraphRequest;
import dev.entramcp.emulator.SentMail;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import static dev.entramcp.app.remote.RemoteDemoApp.call;
import static dev.entramcp.app.remote.RemoteDemoApp.sendMail;
import static dev.entramcp.app.remote.RemoteDemoApp.text;
import static dev.entramcp.app.remote.RemoteDemoApp.toolNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The remote scenario working, on the assembled app: the MCP SDK's own clients carry Entra-shaped
 * tokens signed by the emulator's real keys; the server verifies them, filters and authorizes per
 * user, and reaches the emulator's Graph On-Behalf-Of the caller.
 */
@ExtendWith(SharedRemoteDemo.class)
class RemoteHappyPathTest {

    private final RemoteDemoApp app;

    RemoteHappyPathTest(RemoteDemoApp app) {
        this.app = app;
    }

    @AfterEach
    void closeClients() {
        app.closeClients();
    }

    @Test
    void givenAlicesAndBobsTokens_toolsList_showsEachOnlyTheToolsTheirGrantsAllow() {
        McpSyncClient alice = app.client(app.fullToken("alice"));
        McpSyncClient bob = app.client(app.fullToken("bob"));

        assertThat(toolNames(alice)).containsExactly("whoami", "get_user_profile");
        assertThat(toolNames(bob)).containsExactly("whoami", "get_user_profile", "send_mail");
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenAlicesToken_whoami_showsTheIdentityTheServerVerified() {
        McpSyncClient alice = app.client(app.fullToken("alice"));

        McpSchema.CallToolResult whoami = alice.callTool(call("whoami", Map.of()));

        assertThat(whoami.isError()).isFalse();
        assertThat((Map<String, Object>) whoami.structuredContent())
                .containsEntry("kind", "user")
                .containsEntry("tenantId", app.emulator().tenantId())
                .containsEntry("objectId", app.objectId("alice"))
                .containsEntry("username", "alice@entra-emulator.test")
                .containsEntry("clientAppId", app.demoClientId())
                .containsEntry("scopes", List.of("Mail.Send", "User.Read"))
                .containsEntry("roles", List.of());
    }

    @Test
    void givenAlicesToken_getUserProfile_returnsHerProfileFromGraph() {
        McpSyncClient alice = app.client(app.fullToken("alice"));

        McpSchema.CallToolResult profile = alice.callTool(call("get_user_profile", Map.of()));

        assertThat(profile.isError()).as(text(profile)).isFalse();
        assertThat(text(profile)).isEqualTo("Alice Adams <alice@entra-emulator.test>, mail alice@entra-emulator.test");
    }

    @Test
    void givenBob_sendMail_landsInTheOutboxAsBobThroughTheServersOwnClient() {
        McpSyncClient bob = app.client(app.fullToken("bob"));
        String subject = "Happy path " + UUID.randomUUID();

        McpSchema.CallToolResult sent = bob.callTool(sendMail(subject));

        assertThat(sent.isError()).as(text(sent)).isFalse();
        assertThat(text(sent)).isEqualTo("Mail \"" + subject + "\" sent to carol@contoso.example.");
        SentMail mail = app.control().outbox().stream().filter(m -> m.subject().equals(subject)).findFirst().orElseThrow();
        assertThat(mail.senderObjectId()).isEqualTo(app.objectId("bob"));
        assertThat(mail.clientId()).as("Graph is called by the server's app, On-Behalf-Of Bob").isEqualTo(app.api().clientId());
        assertThat(mail.to()).containsExactly("carol@contoso.example");
        assertThat(mail.body()).isEqualTo("Hello from a test");
    }

    @Test
    void givenBobsCalls_graph_receivesOnlyGraphTokensOfTheServerForBobAndNeverTheInboundToken() {
        String inbound = app.fullToken("bob");
        McpSyncClient bob = app.client(inbound);
        int before = app.control().graphRequests().size();

        assertThat(bob.callTool(sendMail("No passthrough " + UUID.randomUUID())).isError()).isFalse();
        assertThat(bob.callTool(call("get_user_profile", Map.of())).isError()).isFalse();

        List<GraphRequest> all = app.control().graphRequests();
        assertThat(all.subList(before, all.size())).as("this test's calls reached Graph")
                .anySatisfy(request -> assertThat(request.path()).isEqualTo("/graph/v1.0/me/sendMail"));
        assertThat(all).isNotEmpty().allSatisfy(request -> {
            assertThat(request.authorization()).doesNotContain(inbound);
            assertThat(request.bearerToken()).hasValueSatisfying(token -> assertThat(token).isNotEqualTo(inbound));
            assertThat(request.claim("aud")).contains(EntraEmulator.GRAPH_APP_ID);
            assertThat(request.claim("azp")).as("issued to the server On-Behalf-Of, not to the MCP client")
                    .contains(app.api().clientId());
            assertThat(request.status()).isBetween(200, 299);
        });
        assertThat(all.subList(before, all.size())).allSatisfy(request ->
                assertThat(request.claim("oid")).contains(app.objectId("bob")));
    }

    @Test
    void givenAProgressToken_aToolCall_deliversTheProgressNotificationOnItsSseStream() throws Exception {
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch delivered = new java.util.concurrent.CountDownLatch(1);
        McpSyncClient alice = app.client(() -> app.fullToken("alice"), spec -> spec.progressConsumer(notification -> {
            progress.add(notification);
            delivered.countDown();
        }));

        McpSchema.CallToolResult result = alice.callTool(McpSchema.CallToolRequest.builder("whoami")
                .arguments(Map.of()).progressToken("progress-" + UUID.randomUUID()).build());

        assertThat(result.isError()).isFalse();
        // The client hands notifications to its consumers on its own scheduler, so the call may
        // return a moment before the consumer runs: wait for it rather than race it.
        assertThat(delivered.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("the progress notification arrived").isTrue();
        assertThat(progress).singleElement().satisfies(notification -> {
            assertThat(notification.progressToken()).asString().startsWith("progress-");
            assertThat(notification.message()).isEqualTo("Calling whoami");
        });
    }

    @Test
    void givenTheLegacySseTransport_bobsSession_listsAndCallsToolsAsBob() {
        McpSyncClient bob = app.legacyClient(app.fullToken("bob"));

        List<String> tools = toolNames(bob);
        McpSchema.CallToolResult whoami = bob.callTool(call("whoami", Map.of()));

        assertThat(tools).containsExactly("whoami", "get_user_profile", "send_mail");
        assertThat(text(whoami)).startsWith("You are Bob Baker (bob@entra-emulator.test), a signed-in user");
    }

    @Test
    void givenTheDemoClient_signInDiscoveredThroughTheChallenge_thenGetsTheProfileOnBehalfOfTheDemoUser() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DemoClient client = new DemoClient(app.emulator().sslContext(), new PrintStream(log, true, StandardCharsets.UTF_8));

        String token = client.signIn(app.url(), app.demoClientId());
        try (McpSyncClient mcp = client.connect(app.url(), token)) {
            McpSchema.CallToolResult profile = mcp.callTool(call("get_user_profile", Map.of()));

            assertThat(text(profile)).startsWith("Alice Adams <alice@entra-emulator.test>");
        }
        assertThat(log.toString(StandardCharsets.UTF_8))
                .as("the challenge's user-consentable scopes, not every scope PRM lists")
                .contains("1. 401 challenge points at " + app.resourceMetadataUrl() + " and asks for "
                        + app.api().appIdUri() + "/User.Read " + app.api().appIdUri() + "/Mail.Send\n")
                .contains("2. PRM: resource " + app.url() + "/mcp, authorization server " + app.emulator().issuer())
                .contains("3. discovery: device code at " + app.emulator().deviceCodeEndpoint())
                .contains("5. signed in: an access token of")
                .doesNotContain(token);
    }

    @Test
    void givenTheDemo_theBanner_saysItIsTheEmulatorAndWhereEverythingIs() {
        assertThat(app.banner())
                .contains("entra-mcp DEMO MODE", "embedded Entra EMULATOR at\n*  " + app.emulator().baseUrl())
                .contains("MCP endpoint:      " + app.url() + "/mcp")
                .contains("Resource metadata: " + app.resourceMetadataUrl())
                .doesNotContain(app.api().clientSecret());
    }

    @Test
    void givenNoTrustInTheEmulator_theDemoClient_cannotSignIn() throws Exception {
        DemoClient client = new DemoClient(SSLContext.getDefault(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThatExceptionOfType(SSLHandshakeException.class)
                .isThrownBy(() -> client.signIn(app.url(), app.demoClientId()));
    }
}
