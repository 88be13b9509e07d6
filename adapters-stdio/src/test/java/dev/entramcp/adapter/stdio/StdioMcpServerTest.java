package dev.entramcp.adapter.stdio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.fixtures.RecordingAuditTrail;
import dev.entramcp.domain.model.AuditAction;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.SignInPrompt;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UserProfile;
import dev.entramcp.domain.port.out.LoadSignedInCallerPort;
import dev.entramcp.domain.port.out.LoadUserProfilePort;
import dev.entramcp.domain.service.CallToolService;
import dev.entramcp.domain.service.ListToolsService;
import dev.entramcp.domain.tool.GetUserProfileTool;
import dev.entramcp.domain.tool.SendMailTool;
import dev.entramcp.domain.tool.ToolCatalog;
import dev.entramcp.domain.tool.WhoAmITool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class StdioMcpServerTest {

    private static final UserProfile PROFILE = new UserProfile(Callers.ALICE_OID, "Alice",
            Optional.of("alice@contoso.example"), Optional.empty(), Optional.empty(), Optional.empty());

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final StdioTestClient client = new StdioTestClient();
    private final AtomicReference<CallerIdentity> signedIn = new AtomicReference<>(Callers.alice());
    private final List<String> sentMails = new ArrayList<>();
    private LoadUserProfilePort profiles = caller -> PROFILE;
    private StdioMcpServer server;
    private StdioTransportProvider transport;

    /** Signed in as whoever {@link #signedIn} holds; null means sign-in is still pending. */
    private final LoadSignedInCallerPort signedInCaller = () -> {
        CallerIdentity caller = signedIn.get();
        if (caller == null) {
            throw new ToolFailureException(new ToolFailure.SignInRequired("Sign in at https://login.example/device with code ABC-123, then call the tool again."));
        }
        return caller;
    };

    private void startServer() {
        ToolCatalog catalog = ToolCatalog.of(new WhoAmITool(), new GetUserProfileTool(caller -> profiles.loadUserProfile(caller)),
                new SendMailTool((caller, message) -> sentMails.add(message.subject())));
        transport = new StdioTransportProvider(client.serverIn, client.serverOut, 64 * 1024);
        server = StdioMcpServer.start(new StdioMcpServer.Settings("entra-mcp-test", "1.0", Duration.ofSeconds(10)),
                catalog.descriptors(), new ListToolsService(catalog, audit, Clock.systemUTC()),
                new CallToolService(catalog, audit, Clock.systemUTC()), signedInCaller, transport);
    }

    @AfterEach
    void stop() {
        client.close();
        if (server != null) {
            server.close();
        }
        assertThat(client.nonJsonLines).as("stdout carries only JSON-RPC").isEmpty();
    }

    private List<String> listedToolNames(int id) {
        JsonNode response = client.request(id, "tools/list", "{}");
        List<String> names = new ArrayList<>();
        response.path("result").path("tools").forEach(tool -> names.add(tool.path("name").asText()));
        return names;
    }

    @Test
    void givenAliceSignedIn_toolsList_hidesSendMail() {
        startServer();
        client.initialize("{}");

        assertThat(listedToolNames(1)).containsExactly("whoami", "get_user_profile");
    }

    @Test
    void givenBobSignedIn_toolsList_showsSendMailWithItsSchemaAndHints() {
        signedIn.set(Callers.bob());
        startServer();
        client.initialize("{}");

        JsonNode response = client.request(1, "tools/list", "{}");

        JsonNode sendMail = response.path("result").path("tools").get(2);
        assertThat(sendMail.path("name").asText()).isEqualTo("send_mail");
        assertThat(sendMail.path("inputSchema").path("required").toString()).isEqualTo("[\"to\",\"subject\",\"body\"]");
        assertThat(sendMail.path("annotations").path("readOnlyHint").asBoolean()).isFalse();
    }

    @Test
    void givenOneListing_toolsList_evaluatesThePolicyAndAuditsOnce() {
        startServer();
        client.initialize("{}");

        listedToolNames(1);

        assertThat(audit.actions()).containsExactly(AuditAction.LISTED);
    }

    @Test
    void givenWhoami_toolsCall_returnsTextAndStructuredIdentity() {
        startServer();
        client.initialize("{}");

        JsonNode result = client.request(1, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}").path("result");

        assertThat(result.path("isError").asBoolean()).isFalse();
        assertThat(result.path("content").get(0).path("text").asText()).contains("alice@contoso.example");
        assertThat(result.path("structuredContent").path("objectId").asText()).isEqualTo(Callers.ALICE_OID);
    }

    @Test
    void givenThrottledGraph_toolsCall_isAnErrorResultThatSaysWhenToRetry() {
        profiles = caller -> {
            throw new ToolFailureException(new ToolFailure.Throttled(Duration.ofSeconds(30)));
        };
        startServer();
        client.initialize("{}");

        JsonNode result = client.request(1, "tools/call", "{\"name\":\"get_user_profile\",\"arguments\":{}}").path("result");

        assertThat(result.path("isError").asBoolean()).isTrue();
        assertThat(result.path("content").get(0).path("text").asText()).contains("Wait 30 seconds");
    }

    @Test
    void givenAliceWithoutRole_sendMail_isRefusedNamingTheRoleAndNothingIsSent() {
        startServer();
        client.initialize("{}");

        JsonNode result = client.request(1, "tools/call",
                "{\"name\":\"send_mail\",\"arguments\":{\"to\":[\"carol@contoso.example\"],\"subject\":\"Hi\",\"body\":\"x\"}}").path("result");

        assertThat(result.path("isError").asBoolean()).isTrue();
        assertThat(result.path("content").get(0).path("text").asText())
                .isEqualTo("Not allowed: missing app role Mail.Sender. Ask an administrator to assign you the app role.");
        assertThat(sentMails).isEmpty();
    }

    @Test
    void givenLineThatIsNotJson_server_answersParseErrorAndKeepsServing() {
        startServer();
        client.initialize("{}");

        client.sendLine("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":");

        JsonNode error = client.nextResponse();
        assertThat(error.path("id").isNull()).isTrue();
        assertThat(error.path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(listedToolNames(8)).contains("whoami");
    }

    @Test
    void givenJsonThatIsNotJsonRpc_server_answersInvalidRequestWithTheId() {
        startServer();
        client.initialize("{}");

        client.sendLine("{\"jsonrpc\":\"1.0\",\"id\":\"abc\",\"method\":\"tools/list\"}");

        JsonNode error = client.nextResponse();
        assertThat(error.path("id").asText()).isEqualTo("abc");
        assertThat(error.path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(error.path("error").path("message").asText()).contains("\"jsonrpc\" must be \"2.0\"");
    }

    @Test
    void givenBatch_server_answersInvalidRequest() {
        startServer();
        client.initialize("{}");

        client.sendLine("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}]");

        assertThat(client.nextResponse().path("error").path("message").asText()).contains("batches are not supported");
    }

    @Test
    void givenOversizedLine_server_answersInvalidRequestAndKeepsServing() {
        startServer();
        client.initialize("{}");

        client.sendLine("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\",\"arguments\":{\"x\":\""
                + "a".repeat(70 * 1024) + "\"}}}");

        assertThat(client.nextResponse().path("error").path("message").asText()).startsWith("Request too large");
        assertThat(listedToolNames(4)).contains("whoami");
    }

    @Test
    void givenSignInPending_toolsList_showsNothingThenAnnouncesListChangedOnceSignedIn() {
        signedIn.set(null);
        startServer();
        client.initialize("{}");

        assertThat(listedToolNames(1)).isEmpty();
        JsonNode call = client.request(2, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}").path("result");
        signedIn.set(Callers.alice());

        assertThat(call.path("isError").asBoolean()).isTrue();
        assertThat(call.path("content").get(0).path("text").asText()).contains("with code ABC-123");
        client.awaitNotification("notifications/tools/list_changed", Duration.ofSeconds(10));
        assertThat(listedToolNames(3)).containsExactly("whoami", "get_user_profile");
    }

    @Test
    void givenClientSupportingUrlElicitation_prompt_reachesStderrLogAndElicitationButNotStdout() {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        startServer();
        client.initialize("{\"elicitation\":{\"url\":{}}}");
        client.request(1, "logging/setLevel", "{\"level\":\"info\"}");
        StdioSignInPrompter prompter = new StdioSignInPrompter(transport, new PrintStream(stderr, true, StandardCharsets.UTF_8));

        prompter.prompt(new SignInPrompt(URI.create("https://login.example/device"), Optional.of("ABC-123"),
                "Sign in at https://login.example/device with code ABC-123", Instant.now().plusSeconds(900)));

        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("with code ABC-123");
        JsonNode log = client.awaitNotification("notifications/message", Duration.ofSeconds(20));
        assertThat(log.path("params").path("level").asText()).isEqualTo("warning");
        assertThat(log.path("params").path("data").asText()).contains("ABC-123");
        JsonNode elicitation = client.nextRequestFromServer();
        assertThat(elicitation.path("method").asText()).isEqualTo("elicitation/create");
        assertThat(elicitation.path("params").path("mode").asText()).isEqualTo("url");
        assertThat(elicitation.path("params").path("url").asText()).isEqualTo("https://login.example/device");
    }

    @Test
    void givenClientWithoutElicitation_prompt_sendsNoElicitationRequest() {
        startServer();
        client.initialize("{}");
        StdioSignInPrompter prompter = new StdioSignInPrompter(transport, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        prompter.prompt(new SignInPrompt(URI.create("https://login.example/device"), Optional.of("ABC-123"),
                "Sign in at https://login.example/device with code ABC-123", Instant.now().plusSeconds(900)));

        client.awaitNotification("notifications/message", Duration.ofSeconds(20));
        JsonNode next = client.request(9, "ping", "{}");
        assertThat(next.path("id").asInt()).as("the next thing from the server is the ping answer, not an elicitation").isEqualTo(9);
    }

    @Test
    void givenStdinClosed_server_terminates() throws Exception {
        startServer();
        client.initialize("{}");

        client.closeStdin();

        assertThat(transport.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
}
