package dev.entramcp.app.remote;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.entramcp.app.remote.RemoteDemoApp.call;
import static dev.entramcp.app.remote.RemoteDemoApp.sendMail;
import static dev.entramcp.app.remote.RemoteDemoApp.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Authorization on the assembled app: the step-up 403 a client can act on (more scopes), the
 * JSON-RPC error it cannot (an app role an administrator assigns), and the audit trail of allowed,
 * denied and failed calls, which never holds a token.
 */
@ExtendWith(SharedRemoteDemo.class)
class RemoteAuthorizationTest {

    private final RemoteDemoApp app;

    RemoteAuthorizationTest(RemoteDemoApp app) {
        this.app = app;
    }

    @AfterEach
    void closeClients() {
        app.closeClients();
    }

    private static String toolsCall(String tool, String arguments) {
        return "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + arguments + "}}";
    }

    @Test
    void givenATokenWithoutUserRead_getUserProfile_is403InsufficientScopeNamingTheScopeToRequest() {
        String token = app.token("alice", "Mail.Send");
        String session = app.initialize(token);

        HttpResponse<String> refused = app.post("/mcp", token, toolsCall("get_user_profile", "{}"), "Mcp-Session-Id", session);

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().allValues("WWW-Authenticate")).containsExactly(
                "Bearer error=\"insufficient_scope\", error_description=\"missing scope User.Read\", resource_metadata=\""
                        + app.resourceMetadataUrl() + "\", scope=\"" + app.scope("User.Read") + "\"");
        assertThat(RemoteDemoApp.json(refused.body())).containsEntry("id", 7)
                .extractingByKey("error").asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("code", -32003)
                .containsEntry("message", "Forbidden: missing scope User.Read");
    }

    @Test
    void givenBobWithoutMailSend_sendMail_is403NamingEveryScopeTheToolNeeds() {
        String token = app.token("bob", "User.Read");
        String session = app.initialize(token);

        HttpResponse<String> refused = app.post("/mcp", token, toolsCall("send_mail",
                "{\"to\":[\"carol@contoso.example\"],\"subject\":\"s\",\"body\":\"b\"}"), "Mcp-Session-Id", session);

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().allValues("WWW-Authenticate")).containsExactly(
                "Bearer error=\"insufficient_scope\", error_description=\"missing scope Mail.Send\", resource_metadata=\""
                        + app.resourceMetadataUrl() + "\", scope=\"" + app.scope("Mail.Send") + "\"");
        assertThat(app.control().outbox()).noneMatch(mail -> mail.subject().equals("s") && mail.body().equals("b"));
    }

    @Test
    void givenTheSdkClientLackingAScope_theStepUp403_reachesItWithTheChallenge() {
        McpSyncClient bob = app.client(app.token("bob", "User.Read"));

        Throwable failure = catchThrowable(() -> bob.callTool(sendMail("never sent")));

        HttpResponse.ResponseInfo refusal = authorizationRefusal(failure);
        assertThat(refusal.statusCode()).isEqualTo(403);
        assertThat(refusal.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                assertThat(challenge).startsWith("Bearer error=\"insufficient_scope\"").endsWith("scope=\"" + app.scope("Mail.Send") + "\""));
    }

    @Test
    void givenAliceWithTheScopesButNotTheRole_sendMail_getsAJsonRpcErrorNamingTheRole() {
        McpSyncClient alice = app.client(app.fullToken("alice"));
        String subject = "Not as Alice " + UUID.randomUUID();

        assertThatExceptionOfType(McpError.class)
                .isThrownBy(() -> alice.callTool(sendMail(subject)))
                .satisfies(error -> {
                    assertThat(error.getJsonRpcError().code()).isEqualTo(-32003);
                    assertThat(error.getJsonRpcError().message()).isEqualTo("Forbidden: missing app role Mail.Sender");
                });
        assertThat(app.control().outbox()).noneMatch(mail -> mail.subject().equals(subject));
    }

    @Test
    void givenAllowedDeniedAndFailedCalls_theAuditTrail_recordsEachWithIdsAndNeverAToken() {
        String alice = app.fullToken("alice");
        String bob = app.fullToken("bob");
        McpSyncClient aliceClient = app.client(alice);
        McpSyncClient bobClient = app.client(bob);
        ListAppender<ILoggingEvent> trail = new ListAppender<>();
        Logger audit = (Logger) LoggerFactory.getLogger("audit");
        trail.start();
        audit.addAppender(trail);
        List<String> lines;
        try {
            McpSchema.CallToolResult whoami = aliceClient.callTool(call("whoami", Map.of()));
            assertThatExceptionOfType(McpError.class).isThrownBy(() -> aliceClient.callTool(sendMail("denied")));
            McpSchema.CallToolResult failed = bobClient.callTool(call("send_mail",
                    Map.of("to", List.of("not an address"), "subject", "s", "body", "b")));
            assertThat(whoami.isError()).isFalse();
            assertThat(failed.isError()).isTrue();
            assertThat(text(failed)).startsWith("Invalid arguments:");
        } finally {
            audit.detachAppender(trail);
            synchronized (trail) {
                lines = new ArrayList<>(trail.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
            }
        }

        String tenant = app.emulator().tenantId();
        String aliceIds = "\"tid\":\"" + tenant + "\",\"oid\":\"" + app.objectId("alice") + "\",\"clientApp\":\"" + app.demoClientId() + "\"";
        String bobIds = "\"tid\":\"" + tenant + "\",\"oid\":\"" + app.objectId("bob") + "\",\"clientApp\":\"" + app.demoClientId() + "\"";
        assertThat(lines).anySatisfy(line -> assertThat(line).contains(aliceIds, "\"tool\":\"whoami\",\"action\":\"ALLOWED\""));
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .contains(aliceIds, "\"tool\":\"send_mail\",\"action\":\"DENIED\",\"reason\":\"missing app role Mail.Sender\""));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains(bobIds, "\"tool\":\"send_mail\",\"action\":\"FAILED\""));
        assertThat(lines).allSatisfy(line -> {
            assertThat(line).startsWith("{\"type\":\"audit\",").contains("\"correlationId\":\"");
            assertThat(line).doesNotContain(alice, bob, "eyJ");
        });
    }

    /** The HTTP answer behind the SDK client's authorization failure. */
    private static HttpResponse.ResponseInfo authorizationRefusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof McpHttpClientTransportAuthorizationException authorization) {
                return authorization.getResponseInfo();
            }
        }
        throw new AssertionError("expected an authorization failure, got " + failure, failure);
    }
}
