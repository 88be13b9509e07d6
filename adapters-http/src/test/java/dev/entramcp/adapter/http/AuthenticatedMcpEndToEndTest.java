package dev.entramcp.adapter.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entramcp.adapter.http.audit.StructuredAuditLog;
import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.SharedMcpServer;
import dev.entramcp.adapter.http.support.TestCallers;
import dev.entramcp.adapter.http.support.TestTokens;
import dev.entramcp.adapter.http.support.TestWiring;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.CallerIdentity;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The two halves of this module working together, end to end over real HTTP: the MCP SDK's own
 * client ({@code HttpClientStreamableHttpTransport}) carries a real Entra-shaped bearer token,
 * signed by the loopback tenant key, through micronaut-security and the strict validator, into the
 * Streamable HTTP transport, the domain's policy and the tools, and back out as MCP answers,
 * HTTP challenges and audit lines.
 */
@ExtendWith(SharedMcpServer.class)
class AuthenticatedMcpEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "https://mcp.example.test/.well-known/oauth-protected-resource/mcp";
    private static final McpSchema.CallToolRequest WHOAMI = McpSchema.CallToolRequest.builder("whoami")
            .arguments(Map.of()).build();

    private final McpTestServer server;
    private final TestWiring.SentMail sentMail;
    private final List<McpSyncClient> clients = new ArrayList<>();

    AuthenticatedMcpEndToEndTest(McpTestServer server) {
        this.server = server;
        this.sentMail = server.bean(TestWiring.SentMail.class);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(McpSyncClient::closeGracefully);
    }

    /** An SDK client sending whatever token {@code bearerToken} holds, and noting its session id in {@code sessionId}. */
    private McpSyncClient client(Supplier<String> bearerToken, AtomicReference<String> sessionId) {
        McpSyncClient client = McpClient.sync(server.streamableTransport(bearerToken, (builder, method, uri, body, context) ->
                        builder.copy().build().headers().firstValue("Mcp-Session-Id").ifPresent(sessionId::set)))
                .requestTimeout(Duration.ofSeconds(10))
                .initializationTimeout(Duration.ofSeconds(10))
                .build();
        clients.add(client);
        return client;
    }

    private McpSyncClient signedIn(CallerIdentity caller) {
        String token = server.tokenFor(caller);
        McpSyncClient client = client(() -> token, new AtomicReference<>());
        client.initialize();
        return client;
    }

    private static List<String> toolNames(McpSyncClient client) {
        return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
    }

    private static McpSchema.CallToolRequest sendMail(String subject) {
        return McpSchema.CallToolRequest.builder("send_mail")
                .arguments(Map.of("to", List.of("dave@contoso.example"), "subject", subject, "body", "Hello")).build();
    }

    /** The HTTP answer behind the SDK client's authorization failure (401 or 403). */
    private static HttpResponse.ResponseInfo refusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof McpHttpClientTransportAuthorizationException authorization) {
                return authorization.getResponseInfo();
            }
        }
        throw new AssertionError("expected an authorization failure, got " + failure, failure);
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenAlicesToken_initializeListAndWhoami_showHerOwnIdentityAndNoSendMail() {
        McpSyncClient alice = client(() -> server.tokenFor(TestCallers.alice()), new AtomicReference<>());

        McpSchema.InitializeResult initialized = alice.initialize();
        List<String> tools = toolNames(alice);
        McpSchema.CallToolResult whoami = alice.callTool(WHOAMI);

        assertThat(initialized.serverInfo().name()).isEqualTo("entra-mcp");
        assertThat(tools).containsExactly("whoami", "get_user_profile");
        assertThat(whoami.isError()).isFalse();
        assertThat(((McpSchema.TextContent) whoami.content().get(0)).text()).startsWith("You are Alice");
        assertThat((Map<String, Object>) whoami.structuredContent())
                .containsEntry("kind", "user")
                .containsEntry("tenantId", Callers.TENANT)
                .containsEntry("objectId", Callers.ALICE_OID)
                .containsEntry("username", "alice@contoso.example")
                .containsEntry("clientAppId", Callers.CLIENT_APP)
                .containsEntry("scopes", List.of("Mail.Send", "User.Read"))
                .containsEntry("roles", List.of());
    }

    @Test
    void givenBobsToken_listTools_showsSendMailAndTheCallSendsIt() {
        McpSyncClient bob = signedIn(TestCallers.bob());

        List<String> tools = toolNames(bob);
        McpSchema.CallToolResult sent = bob.callTool(sendMail("Sent by Bob end to end"));

        assertThat(tools).containsExactly("whoami", "get_user_profile", "send_mail");
        assertThat(sent.isError()).isFalse();
        assertThat(sentMail.subjects).contains("Sent by Bob end to end");
    }

    @Test
    void givenCarolWithoutMailSend_callSendMail_is403InsufficientScopeNamingTheScopeToRequest() {
        McpSyncClient carol = signedIn(TestCallers.carol());

        List<String> tools = toolNames(carol);

        assertThat(tools).containsExactly("whoami", "get_user_profile");
        assertThatExceptionOfType(RuntimeException.class)
                .isThrownBy(() -> carol.callTool(sendMail("Sent by Carol without consent")))
                .satisfies(failure -> {
                    HttpResponse.ResponseInfo response = refusal(failure);
                    assertThat(response.statusCode()).isEqualTo(403);
                    assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(
                            "Bearer error=\"insufficient_scope\", error_description=\"missing scope Mail.Send\", "
                                    + "resource_metadata=\"" + METADATA + "\", scope=\"" + TestTokens.SCOPE_PREFIX + "Mail.Send\"");
                });
        assertThat(sentMail.subjects).doesNotContain("Sent by Carol without consent");
    }

    @Test
    void givenNoToken_initialize_is401WithAChallengeLeadingToTheProtectedResourceMetadata() throws IOException {
        McpSyncClient anonymous = client(() -> null, new AtomicReference<>());

        HttpResponse.ResponseInfo response = refusal(catchThrowable(anonymous::initialize));
        String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        String metadataPath = URI.create(challenge.replaceAll(".*resource_metadata=\"([^\"]+)\".*", "$1")).getPath();
        JsonNode metadata = JSON.readTree(server.raw().request("GET", metadataPath).body());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge).isEqualTo("Bearer resource_metadata=\"" + METADATA + "\", scope=\""
                + TestTokens.SCOPE_PREFIX + "User.Read\"");
        assertThat(metadata.at("/resource").asText()).isEqualTo("https://mcp.example.test/mcp");
        assertThat(metadata.at("/authorization_servers/0").asText())
                .isEqualTo(server.authority() + "/organizations/v2.0"); // two allowed tenants
        assertThat(metadata.at("/scopes_supported").toString()).contains(TestTokens.SCOPE_PREFIX + "User.Read");
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenAnExpiredTokenOnAnExistingSession_aCall_is401AndTheSessionIsServedToNoOneElse() {
        AtomicReference<String> token = new AtomicReference<>(server.tokenFor(TestCallers.alice()));
        AtomicReference<String> sessionId = new AtomicReference<>();
        McpSyncClient alice = client(token::get, sessionId);
        alice.initialize();
        assertThat(toolNames(alice)).contains("whoami");
        String session = sessionId.get();
        String expired = server.token(TestCallers.alice()).expiringAt(Instant.now().minusSeconds(300))
                .signedWith(TestTokens.TENANT_KEY);
        RawMcp raw = server.raw();

        token.set(expired);
        HttpResponse.ResponseInfo afterExpiry = refusal(catchThrowable(() -> alice.callTool(WHOAMI)));
        HttpResponse<String> expiredStream = raw.get("/mcp", expired, "Accept", "text/event-stream", "Mcp-Session-Id", session);
        HttpResponse<String> bob = raw.post("/mcp", server.tokenFor(TestCallers.bob()), RawMcp.LIST_TOOLS,
                "Mcp-Session-Id", session);
        HttpResponse<String> aliceElsewhere = raw.post("/mcp", server.tokenFor(TestCallers.aliceElsewhere()),
                RawMcp.LIST_TOOLS, "Mcp-Session-Id", session);
        HttpResponse<String> noToken = raw.post("/mcp", null, RawMcp.LIST_TOOLS, "Mcp-Session-Id", session);
        token.set(server.tokenFor(TestCallers.alice()));
        McpSchema.CallToolResult refreshed = alice.callTool(WHOAMI);

        assertThat(session).isNotBlank();
        assertThat(afterExpiry.statusCode()).isEqualTo(401);
        assertThat(afterExpiry.headers().allValues("WWW-Authenticate")).containsExactly("Bearer error=\"invalid_token\", "
                + "error_description=\"token has expired\", resource_metadata=\"" + METADATA + "\", scope=\""
                + TestTokens.SCOPE_PREFIX + "User.Read\"");
        assertThat(expiredStream.statusCode()).isEqualTo(401);
        assertThat(bob.statusCode()).isEqualTo(404);
        assertThat(aliceElsewhere.statusCode()).isEqualTo(404);
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(List.of(bob.body(), aliceElsewhere.body(), noToken.body())).noneSatisfy(body ->
                assertThat(body).contains("whoami"));
        assertThat((Map<String, Object>) refreshed.structuredContent())
                .as("the session belongs to Alice, not to one token: a fresh token of hers goes on using it")
                .containsEntry("objectId", Callers.ALICE_OID);
    }

    @Test
    void givenAlicesSession_bobsValidToken_isAnsweredAsIfTheSessionDidNotExist() {
        AtomicReference<String> sessionId = new AtomicReference<>();
        String aliceToken = server.tokenFor(TestCallers.alice());
        McpSyncClient alice = client(() -> aliceToken, sessionId);
        alice.initialize();
        alice.listTools();
        String bob = server.tokenFor(TestCallers.bob());
        RawMcp raw = server.raw();

        HttpResponse<String> unknown = raw.post("/mcp", bob, RawMcp.LIST_TOOLS, "Mcp-Session-Id", "00000000-0000-0000-0000-000000000000");
        HttpResponse<String> post = raw.post("/mcp", bob, RawMcp.LIST_TOOLS, "Mcp-Session-Id", sessionId.get());
        HttpResponse<String> listen = raw.get("/mcp", bob, "Accept", "text/event-stream", "Mcp-Session-Id", sessionId.get());
        HttpResponse<String> delete = raw.delete("/mcp", bob, "Mcp-Session-Id", sessionId.get());

        for (HttpResponse<String> refused : List.of(post, listen, delete)) {
            assertThat(refused.statusCode()).isEqualTo(404);
            assertThat(refused.body()).isEqualTo(unknown.body());
        }
        assertThat(toolNames(alice)).as("Alice's session survived Bob's attempts").contains("whoami");
    }

    @Test
    void givenAlicesCalls_theAuditLines_carryHerTenantAndObjectIdButNeverHerToken() {
        String token = server.tokenFor(TestCallers.alice());
        String signature = token.substring(token.lastIndexOf('.') + 1);
        ListAppender<ILoggingEvent> audit = new ListAppender<>();
        ListAppender<ILoggingEvent> everything = new ListAppender<>();
        Logger auditLogger = (Logger) LoggerFactory.getLogger(StructuredAuditLog.LOGGER_NAME);
        Logger rootLogger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        audit.start();
        everything.start();
        auditLogger.addAppender(audit);
        rootLogger.addAppender(everything);
        try {
            McpSyncClient alice = client(() -> token, new AtomicReference<>());
            alice.initialize();
            alice.callTool(WHOAMI);
            assertThatExceptionOfType(McpError.class).isThrownBy(() -> alice.callTool(sendMail("Not from Alice")));
            alice.closeGracefully();
        } finally {
            auditLogger.detachAppender(audit);
            rootLogger.detachAppender(everything);
        }

        List<JsonNode> lines = audit.list.stream().map(event -> parse(event.getFormattedMessage())).toList();
        assertThat(lines).extracting(line -> line.get("tool").asText() + ":" + line.get("action").asText())
                .contains("whoami:ALLOWED", "send_mail:DENIED");
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.get("tid").asText()).isEqualTo(Callers.TENANT);
            assertThat(line.get("oid").asText()).isEqualTo(Callers.ALICE_OID);
            assertThat(line.get("clientApp").asText()).isEqualTo(Callers.CLIENT_APP);
        });
        assertThat(everything.list).as("every log line of the flow, audit or not").isNotEmpty()
                .allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(token).doesNotContain(signature));
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
    }
}
