package dev.entramcp.app.remote;

import dev.entramcp.adapter.http.auth.JwksKeySource;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.entramcp.app.remote.RemoteDemoApp.call;
import static dev.entramcp.app.remote.RemoteDemoApp.sendMail;
import static dev.entramcp.app.remote.RemoteDemoApp.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a real tenant and a real Graph do by accident or over time, switched on in the emulator:
 * consent withdrawn, Graph throttling, a signing key rotated. These change the emulator's world,
 * so this class has an app of its own. Each test uses its own user and tool so that none depends on
 * another: the server caches On-Behalf-Of tokens per user and Alice's profile for a minute, so
 * Alice (the consent test) calls Graph nowhere else here, and Bob's mail (the throttling tests) is
 * never cached.
 */
class RemoteDownstreamTest {

    private static RemoteDemoApp app;

    @BeforeAll
    static void start() {
        app = RemoteDemoApp.start("-entramcp.auth.jwks-min-refetch-interval=1s");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @AfterEach
    void closeClients() {
        app.control().failGraph(0, 429, null);
        app.closeClients();
    }

    @Test
    void givenAliceWithdrewConsentForTheServer_getUserProfile_isAToolErrorCarryingTheAdminConsentUrl() {
        McpSyncClient alice = app.client(app.fullToken("alice"));
        app.control().withdrawConsent("alice", app.api().clientId());

        McpSchema.CallToolResult result = alice.callTool(call("get_user_profile", Map.of()));

        assertThat(result.isError()).isTrue();
        assertThat(text(result))
                .startsWith("Consent required: This application has not been granted the permission it needs (AADSTS65001).")
                .contains("Ask an administrator to grant consent at " + app.emulator().authority() + "/v2.0/adminconsent?client_id="
                        + app.api().clientId() + "&scope=");
        assertThat(app.control().graphRequests()).noneMatch(request -> app.objectId("alice").equals(request.claim("oid").orElse(null)));
    }

    @Test
    void givenGraphThrottlesOnce_sendMail_waitsAndSucceeds() {
        McpSyncClient bob = app.client(app.fullToken("bob"));
        String subject = "After a 429 " + UUID.randomUUID();
        app.control().failGraph(1, 429, Duration.ZERO);

        McpSchema.CallToolResult sent = bob.callTool(sendMail(subject));

        assertThat(sent.isError()).as(text(sent)).isFalse();
        assertThat(app.control().outbox()).filteredOn(mail -> mail.subject().equals(subject)).hasSize(1);
        assertThat(app.control().graphRequests()).extracting(request -> request.status()).containsSubsequence(429, 202);
    }

    @Test
    void givenGraphUnavailableWithALongRetryAfter_sendMail_isAToolErrorTellingToWaitAndRetry() {
        McpSyncClient bob = app.client(app.fullToken("bob"));
        String subject = "During a 503 " + UUID.randomUUID();
        app.control().failGraph(10, 503, Duration.ofSeconds(120));

        McpSchema.CallToolResult result = bob.callTool(sendMail(subject));

        assertThat(result.isError()).isTrue();
        assertThat(text(result)).isEqualTo("The service is busy (throttled). Wait 120 seconds and try again.");
        assertThat(app.control().outbox()).noneMatch(mail -> mail.subject().equals(subject));
    }

    @Test
    void givenTheTenantRotatesItsSigningKey_tokensOfTheNewKey_areAcceptedOnceFetchedAndTheOldKeysStillAre() throws Exception {
        String signedBefore = app.fullToken("bob");
        assertThat(app.post("/mcp", signedBefore, RemoteDemoApp.INITIALIZE).statusCode()).isEqualTo(200);
        String newKey = app.control().rotateSigningKey();
        String signedAfter = app.fullToken("bob");
        JwksKeySource keys = app.running().context().getBean(JwksKeySource.class, Qualifiers.byName("entra"));

        HttpResponse<String> accepted = RemoteDemoApp.pollUntil(Duration.ofSeconds(15),
                () -> app.post("/mcp", signedAfter, RemoteDemoApp.INITIALIZE), response -> response.statusCode() == 200);

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(keys.keyIds()).contains(newKey);
        assertThat(app.post("/mcp", signedBefore, RemoteDemoApp.INITIALIZE).statusCode())
                .as("the retired key stays published for its grace period").isEqualTo(200);
        assertThat(app.client(signedAfter).callTool(call("whoami", Map.of())).isError()).isFalse();
    }

    @Test
    void givenAKeyWithdrawnAtOnce_itsTokens_areRefusedOnceTheNewSetIsFetched() {
        String signedBefore = app.fullToken("bob");
        assertThat(app.post("/mcp", signedBefore, RemoteDemoApp.INITIALIZE).statusCode()).isEqualTo(200);
        app.control().rotateSigningKey(Duration.ZERO);
        String signedAfter = app.fullToken("bob");

        RemoteDemoApp.pollUntil(Duration.ofSeconds(15),
                () -> app.post("/mcp", signedAfter, RemoteDemoApp.INITIALIZE), response -> response.statusCode() == 200);
        HttpResponse<String> refused = app.post("/mcp", signedBefore, RemoteDemoApp.INITIALIZE);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                assertThat(challenge).startsWith("Bearer error=\"invalid_token\", error_description=\"signing key is not known\""));
        assertThat(List.of(signedBefore, signedAfter)).doesNotHaveDuplicates();
    }
}
