package dev.entramcp.app.remote;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "done when": {@code java -jar app-remote/target/app-remote.jar --demo --facade}
 * completes the whole flow for a client that registers itself. The packaged jar runs as its own
 * process; {@link FacadeDemoClient} follows the command its banner prints.
 */
class FacadeDemoJarIT {

    private static final Pattern CLIENT_COMMAND = Pattern.compile("FacadeDemoClient (\\S+) --cacert (\\S+)");

    @Test
    void givenTheJarInDemoFacadeMode_aClientThatRegistersItself_signsInCallsAToolRefreshesAndRevokes() throws Exception {
        // Port 0: the server picks a free port itself and names it in its banner.
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("appRemoteJar"), "--demo", "--facade", "-micronaut.server.port=0")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Matcher command = awaitBanner(server);
            URI url = URI.create(command.group(1));
            FacadeDemoClient client = new FacadeDemoClient(DemoClient.trusting(Path.of(command.group(2))),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "alice");

            FacadeDemoClient.Session session = client.signIn(url, Optional.empty());
            try (McpSyncClient mcp = new DemoClient(DemoClient.trusting(Path.of(command.group(2))), System.out)
                    .connect(url, session.accessToken())) {
                McpSchema.CallToolResult profile = mcp.callTool(new McpSchema.CallToolRequest("get_user_profile", Map.of()));
                assertThat(((McpSchema.TextContent) profile.content().get(0)).text()).contains("Alice Adams");
            }
            FacadeDemoClient.Session refreshed = client.refresh(session);
            assertThat(initialize(url, command.group(2), refreshed.accessToken()).statusCode()).isEqualTo(200);

            client.revoke(refreshed);

            assertThat(refreshed.accessToken()).isNotEqualTo(session.accessToken());
            HttpResponse<String> afterRevocation = initialize(url, command.group(2), refreshed.accessToken());
            assertThat(afterRevocation.statusCode()).isEqualTo(401);
            assertThat(afterRevocation.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .startsWith("Bearer ").contains("error=\"invalid_token\"");
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** An MCP {@code initialize} with {@code accessToken}, as a client would send it. */
    private static HttpResponse<String> initialize(URI server, String cacert, String accessToken) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(DemoClient.trusting(Path.of(cacert)))
                .connectTimeout(Duration.ofSeconds(10)).build();
        return http.send(HttpRequest.newBuilder(server.resolve("/mcp")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                        + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                        + "\"clientInfo\":{\"name\":\"jar-it\",\"version\":\"1.0\"}}}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Reads the server's stderr until the banner names the client command (within a minute). */
    private static Matcher awaitBanner(Process server) throws Exception {
        BufferedReader stderr = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<Matcher> found = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = stderr.readLine(); line != null; line = stderr.readLine()) {
                    Matcher command = CLIENT_COMMAND.matcher(line);
                    if (command.find()) {
                        return command;
                    }
                }
                throw new IllegalStateException("the server ended before printing its banner");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Matcher command = found.get(Duration.ofMinutes(1).toSeconds(), TimeUnit.SECONDS);
        CompletableFuture.runAsync(() -> {
            try {
                while (stderr.readLine() != null) {
                    // keep draining, so the server never blocks on a full pipe
                }
            } catch (java.io.IOException ignored) {
                // the server ended
            }
        });
        return command;
    }
}
