package dev.entramcp.bench.http;

import dev.entramcp.adapter.http.auth.BearerTokenVerifier;
import dev.entramcp.adapter.http.auth.SecurityChainGuard;
import dev.entramcp.adapter.http.auth.TokenVerification;
import dev.entramcp.app.remote.RemoteApplication;
import dev.entramcp.app.remote.RemoteOptions;
import dev.entramcp.emulator.AppRegistration;
import dev.entramcp.emulator.EntraEmulator;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The benchmark-only "authentication off" mode on the assembled app-remote: off unless switched on,
 * refused unless complete and on loopback, and then serving one fixed caller without a token.
 */
class UnauthenticatedLoopbackModeTest {

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}";

    private final HttpClient http = HttpClient.newHttpClient();
    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void givenNoSwitch_theServer_hasNoneOfTheModesBeans_andRefusesARequestWithoutToken() throws Exception {
        try (RemoteApplication.Running running = start("--demo", "-micronaut.server.port=0")) {
            int status = postWithoutToken(running);

            assertThat(running.context().containsBean(UnauthenticatedLoopbackCaller.class)).isFalse();
            assertThat(running.context().containsBean(LoopbackOnlyGuard.class)).isFalse();
            assertThat(running.context().containsBean(FixedCallerFilter.class)).isFalse();
            assertThat(running.context().containsBean(SecurityChainGuard.class)).isTrue();
            assertThat(status).isEqualTo(401);
        }
    }

    @Test
    void givenTheSwitchWithMicronautSecurityStillOn_theServer_refusesToStart() {
        assertThatExceptionOfType(RuntimeException.class)
                .isThrownBy(() -> start("--demo", "-micronaut.server.port=0", "-" + UnauthenticatedLoopbackCaller.SWITCH + "=true"))
                .satisfies(failure -> assertThat(messages(failure))
                        .contains("micronaut.security.filter.enabled=false"));
    }

    @Test
    void givenTheSwitchAndAWildcardHost_theServer_refusesToStart() {
        try (EntraEmulator emulator = EntraEmulator.start()) {
            AppRegistration api = emulator.apps().remote();
            assertThatExceptionOfType(RuntimeException.class)
                    .isThrownBy(() -> start("-micronaut.server.host=0.0.0.0", "-micronaut.server.port=0",
                            "-micronaut.security.filter.enabled=false", "-" + UnauthenticatedLoopbackCaller.SWITCH + "=true",
                            "-entramcp.http.public-base-url=http://localhost:8080",
                            "-entramcp.auth.tenant-id=" + emulator.tenantId(),
                            "-entramcp.auth.client-id=" + api.clientId(),
                            "-entramcp.auth.app-id-uri=" + api.appIdUri(),
                            "-entramcp.auth.authority-host=" + emulator.baseUrl(),
                            "-entramcp.auth.jwks-trust-pem=" + emulator.trustPem()))
                    .satisfies(failure -> assertThat(messages(failure))
                            .contains("'0.0.0.0' is not a loopback address"));
        }
    }

    @Test
    void givenTheSwitchOnLoopback_requestsWithoutToken_areRefusedUntilACallerIsSet_thenServedAsThatCaller() throws Exception {
        try (RemoteApplication.Running running = start("--demo", "-micronaut.server.port=0",
                "-micronaut.security.filter.enabled=false", "-" + UnauthenticatedLoopbackCaller.SWITCH + "=true")) {
            int beforeACallerIsSet = postWithoutToken(running);
            EntraEmulator emulator = running.emulator().orElseThrow();
            String token = emulator.control().issueAccessToken("alice", emulator.apps().demo().clientId(),
                    emulator.apps().remote().appIdUri() + "/User.Read");
            TokenVerification.Verified alice = (TokenVerification.Verified) running.context()
                    .getBean(BearerTokenVerifier.class).verify(token);

            running.context().getBean(UnauthenticatedLoopbackCaller.class).use(alice.caller(), alice.expiresAt());
            HttpResponse<String> initialized = post(running, INITIALIZE);

            assertThat(beforeACallerIsSet).isEqualTo(401);
            assertThat(initialized.statusCode()).isEqualTo(200);
            assertThat(initialized.headers().firstValue("Mcp-Session-Id")).isPresent();
        }
    }

    /** Every message in the chain of causes: Micronaut wraps the guard's refusal. */
    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            all.append(cause.getMessage()).append('\n');
        }
        return all.toString();
    }

    private RemoteApplication.Running start(String... args) {
        return RemoteApplication.start(RemoteOptions.parse(args), quiet);
    }

    private int postWithoutToken(RemoteApplication.Running running) throws Exception {
        return post(running, INITIALIZE).statusCode();
    }

    private HttpResponse<String> post(RemoteApplication.Running running, String body) throws Exception {
        URI mcp = URI.create(running.context().getBean(EmbeddedServer.class).getURL().toString()).resolve("/mcp");
        return http.send(HttpRequest.newBuilder(mcp).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
