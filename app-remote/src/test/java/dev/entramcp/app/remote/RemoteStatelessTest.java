package dev.entramcp.app.remote;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.entramcp.app.remote.RemoteDemoApp.call;
import static dev.entramcp.app.remote.RemoteDemoApp.text;
import static dev.entramcp.app.remote.RemoteDemoApp.toolNames;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code entramcp.mcp.mode=stateless} on the assembled app: each POST stands alone (no session, so
 * any replica can answer), and the per-user filtering, On-Behalf-Of and the step-up still hold;
 * what it gives up (the GET stream) is refused plainly.
 */
class RemoteStatelessTest {

    private static RemoteDemoApp app;

    @BeforeAll
    static void start() {
        app = RemoteDemoApp.start("-entramcp.mcp.mode=stateless");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void givenStatelessMode_theSdkClient_listsPerUserAndCallsGraphOnBehalfOfTheCaller() {
        McpSyncClient alice = app.client(app.fullToken("alice"));
        McpSyncClient bob = app.client(app.fullToken("bob"));

        McpSchema.CallToolResult profile = bob.callTool(call("get_user_profile", Map.of()));

        assertThat(toolNames(alice)).containsExactly("whoami", "get_user_profile");
        assertThat(toolNames(bob)).containsExactly("whoami", "get_user_profile", "send_mail");
        assertThat(text(profile)).startsWith("Bob Baker <bob@entra-emulator.test>");
    }

    @Test
    void givenStatelessMode_initialize_createsNoSession() {
        HttpResponse<String> initialized = app.post("/mcp", app.fullToken("alice"), RemoteDemoApp.INITIALIZE);

        assertThat(initialized.statusCode()).isEqualTo(200);
        assertThat(initialized.headers().firstValue("Mcp-Session-Id")).isEmpty();
    }

    @Test
    void givenStatelessMode_theListeningStream_is405() {
        HttpResponse<String> stream = app.get("/mcp", app.fullToken("alice"), "Accept", "text/event-stream");

        assertThat(stream.statusCode()).isEqualTo(405);
    }

    @Test
    void givenStatelessMode_aCallLackingAScope_isStillTheStepUp403() {
        String token = app.token("alice", "Mail.Send");

        HttpResponse<String> refused = app.post("/mcp", token,
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"get_user_profile\",\"arguments\":{}}}");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                assertThat(challenge).startsWith("Bearer error=\"insufficient_scope\"").endsWith("scope=\"" + app.scope("User.Read") + "\""));
    }
}
