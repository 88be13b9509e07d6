package dev.entramcp.app.remote;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.entramcp.app.remote.RemoteDemoApp.call;
import static dev.entramcp.app.remote.RemoteDemoApp.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Conditional Access policy starts demanding multi-factor authentication of a user whose token the
 * server already accepted: the On-Behalf-Of exchange for Graph is refused (AADSTS50076 with a claims
 * challenge). The tool answers with a tool error telling the person to sign in again, carries nothing
 * of a token, and the server goes on serving everyone else. The MFA requirement changes the
 * emulator's world, so this class has an app of its own.
 */
class RemoteMfaRequiredTest {

    private static final String SIGN_IN_AGAIN = "Sign-in required: your organisation requires you to sign in again"
            + " (AADSTS50076) (for example for multi-factor authentication). Sign in again, then call the tool again.";

    private static RemoteDemoApp app;

    @BeforeAll
    static void start() {
        app = RemoteDemoApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @AfterEach
    void clear() {
        app.control().clearMfaRequirement("alice");
        app.closeClients();
    }

    @Test
    void givenAliceNowNeedsMfa_getUserProfile_isAToolErrorUntilSheDidItWhileBobIsStillServed() {
        String inbound = app.fullToken("alice");
        McpSyncClient alice = app.client(inbound);
        McpSyncClient bob = app.client(app.fullToken("bob"));
        String policyId = app.control().requireMfa("alice");

        McpSchema.CallToolResult refused = alice.callTool(call("get_user_profile", Map.of()));
        McpSchema.CallToolResult served = bob.callTool(call("get_user_profile", Map.of()));
        app.control().clearMfaRequirement("alice");
        McpSchema.CallToolResult afterMfa = alice.callTool(call("get_user_profile", Map.of()));

        assertThat(refused.isError()).isTrue();
        assertThat(text(refused)).isEqualTo(SIGN_IN_AGAIN)
                .doesNotContain(inbound).doesNotContain("eyJ").doesNotContain(policyId);
        assertThat(refused.structuredContent()).isNull();
        assertThat(served.isError()).as(text(served)).isFalse();
        assertThat(text(served)).isEqualTo("Bob Baker <bob@entra-emulator.test>, mail bob@entra-emulator.test");
        assertThat(afterMfa.isError()).as(text(afterMfa)).isFalse();
        assertThat(text(afterMfa)).isEqualTo("Alice Adams <alice@entra-emulator.test>, mail alice@entra-emulator.test");
        assertThat(app.control().graphRequests()).filteredOn(request -> app.objectId("alice").equals(request.claim("oid").orElse(null)))
                .as("only the call after MFA reached Graph for Alice").hasSize(1);
    }
}
