package dev.entramcp.app.remote;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request hygiene on the assembled app, with valid tokens: a session is served to its owner only,
 * a foreign Origin, an oversized body and malformed JSON-RPC get precise JSON-RPC errors, and none
 * of them carries a stack trace.
 */
@ExtendWith(SharedRemoteDemo.class)
class RemoteHygieneTest {

    private static final String LIST_TOOLS = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}";

    private final RemoteDemoApp app;

    RemoteHygieneTest(RemoteDemoApp app) {
        this.app = app;
    }

    private static Object errorCode(HttpResponse<String> response) {
        return RemoteDemoApp.json(response.body()).get("error") instanceof Map<?, ?> error ? error.get("code") : null;
    }

    @Test
    void givenAlicesSession_bobsValidToken_isAnsweredAsIfItDidNotExistAndAliceKeepsIt() {
        String alice = app.fullToken("alice");
        String session = app.initialize(alice);

        HttpResponse<String> hijack = app.post("/mcp", app.fullToken("bob"), LIST_TOOLS, "Mcp-Session-Id", session);
        HttpResponse<String> owner = app.post("/mcp", alice, LIST_TOOLS, "Mcp-Session-Id", session);

        assertThat(hijack.statusCode()).isEqualTo(404);
        assertThat(hijack.body()).doesNotContain("whoami");
        assertThat(owner.statusCode()).isEqualTo(200);
        assertThat(owner.body()).contains("get_user_profile");
    }

    @Test
    void givenAForeignOrigin_aRequestWithAValidToken_is403BeforeTheTokenIsUsed() {
        HttpResponse<String> refused = app.post("/mcp", app.fullToken("alice"), RemoteDemoApp.INITIALIZE,
                "Origin", "https://attacker.example");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(RemoteDemoApp.json(refused.body())).extractingByKey("error").asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("code", -32600).containsEntry("message", "Forbidden: this Origin is not allowed");
    }

    @Test
    void givenABodyAboveOneMebibyte_post_is413() {
        String padding = "x".repeat(1024 * 1024);
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"padding\":\"" + padding + "\"}}";

        HttpResponse<String> refused = app.post("/mcp", app.fullToken("alice"), body);

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(errorCode(refused)).isEqualTo(-32600);
    }

    @Test
    void givenMalformedJsonOrNoJsonRpc_post_is400WithTheMatchingCode() {
        String token = app.fullToken("alice");

        HttpResponse<String> notJson = app.post("/mcp", token, "{\"jsonrpc\":\"2.0\",");
        HttpResponse<String> notJsonRpc = app.post("/mcp", token, "{\"hello\":\"world\"}");

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(errorCode(notJson)).isEqualTo(-32700);
        assertThat(notJsonRpc.statusCode()).isEqualTo(400);
        assertThat(errorCode(notJsonRpc)).isEqualTo(-32600);
        assertThat(notJson.body() + notJsonRpc.body()).doesNotContain("Exception", "\tat ", ".java:");
    }
}
