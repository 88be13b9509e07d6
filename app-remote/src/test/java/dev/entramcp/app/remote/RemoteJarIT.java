package dev.entramcp.app.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "done when", on the packaged jar run as a person runs it
 * ({@code java -jar app-remote/target/app-remote.jar ...}, in a child JVM): the demo serves PRM,
 * answers an unauthenticated POST with a 401 challenge, and the DemoClient (another child JVM)
 * discovers everything from that challenge, signs in with a device code and calls
 * {@code get_user_profile} through On-Behalf-Of; SIGTERM ends it and removes the emulator's PEM;
 * without configuration it exits 2 naming what to set.
 */
class RemoteJarIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEMO_CLIENT_LINE = Pattern.compile(
            "DemoClient (http://localhost:\\d+) --client-id ([0-9a-f-]{36}) --cacert (\\S+\\.pem)");

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        started.forEach(Process::destroyForcibly);
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("appRemoteJar", "target/app-remote.jar"));
        assertThat(jar).as("the packaged jar (failsafe runs after package)").isRegularFile();
        return jar;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A child JVM with an environment free of this project's settings, so only what a test gives counts. */
    private Process launch(Map<String, String> environment, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("AZURE_") || name.startsWith("ENTRAMCP_")
                || name.startsWith("ENTRA_MCP_") || name.startsWith("MICRONAUT_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    @Test
    void givenTheDemo_prmTheChallengeAndTheDemoClientsWholeFlow_workAndSigtermEndsIt() throws Exception {
        // Port 0: the server picks a free port itself and says which in its banner, so nothing can
        // take the port between the test choosing it and the server binding it.
        Process server = launch(Map.of(), java(), "-jar", jar().toString(), "--demo", "-micronaut.server.port=0");
        Lines serverErr = new Lines(server.getErrorStream());
        Lines serverOut = new Lines(server.getInputStream());
        Matcher demoClient = DEMO_CLIENT_LINE.matcher(serverErr.await("DemoClient http://", Duration.ofSeconds(90)));
        assertThat(demoClient.find()).isTrue();
        String url = demoClient.group(1);
        Path pem = Path.of(demoClient.group(3));
        assertThat(url).matches("http://localhost:\\d+");
        assertThat(serverErr.soFar()).contains("entra-mcp DEMO MODE", "not Microsoft Entra ID");
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(URI.create(url + "/.well-known/oauth-protected-resource/mcp"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> challenge = http.send(HttpRequest.newBuilder(URI.create(url + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(RemoteDemoApp.INITIALIZE)).build(), HttpResponse.BodyHandlers.ofString());
        Process client = launch(Map.of(), java(), "-cp", jar().toString(), "dev.entramcp.app.remote.DemoClient",
                url, "--client-id", demoClient.group(2), "--cacert", pem.toString());
        Lines clientOut = new Lines(client.getInputStream());
        Lines clientErr = new Lines(client.getErrorStream());
        boolean clientDone = client.waitFor(90, TimeUnit.SECONDS);

        assertThat(metadata.statusCode()).isEqualTo(200);
        JsonNode prm = JSON.readTree(metadata.body());
        assertThat(prm.path("resource").asText()).isEqualTo(url + "/mcp");
        assertThat(prm.path("authorization_servers").get(0).asText()).matches("https://localhost:\\d+/[0-9a-f-]{36}/v2\\.0");
        assertThat(prm.path("scopes_supported")).hasSize(3);
        assertThat(prm.path("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
        assertThat(challenge.statusCode()).isEqualTo(401);
        assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value)
                .startsWith("Bearer resource_metadata=\"" + url + "/.well-known/oauth-protected-resource/mcp\", scope=\"api://"));
        assertThat(clientDone).as("the DemoClient finished").isTrue();
        assertThat(client.exitValue()).as(clientErr.text()).isZero();
        assertThat(clientOut.text())
                .contains("1. 401 challenge points at " + url + "/.well-known/oauth-protected-resource/mcp")
                .contains("5. signed in: an access token of")
                .contains("tools/list -> [whoami, get_user_profile, list_my_groups]")
                .contains("get_user_profile -> Alice Adams <alice@entra-emulator.test>")
                .doesNotContain("eyJ");
        serverOut.await("\"action\":\"ALLOWED\"", Duration.ofSeconds(10));
        assertThat(serverOut.soFar()).contains("\"tool\":\"get_user_profile\",\"action\":\"ALLOWED\"").doesNotContain("eyJ");
        assertThat(pem).isRegularFile();

        server.destroy();

        assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("SIGTERM ends the server").isTrue();
        assertThat(server.exitValue()).isEqualTo(143);
        assertThat(Files.exists(pem)).as("the emulator's PEM is removed on shutdown").isFalse();
        assertThat(serverErr.text()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void givenNoConfiguration_theJar_exits2NamingWhatToSet() throws Exception {
        Process process = launch(Map.of(), java(), "-jar", jar().toString());
        Lines err = new Lines(process.getErrorStream());

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(err.text()).contains("missing configuration: set AZURE_TENANT_ID, AZURE_CLIENT_ID, ENTRA_MCP_PUBLIC_BASE_URL",
                "docs/remote-scenario.md", "--demo");
    }

    @Test
    void givenAnInvalidConfiguration_theJar_exits1WithTheProblemsAndNoStackTrace() throws Exception {
        Process process = launch(Map.of("AZURE_TENANT_ID", "common", "AZURE_CLIENT_ID", "my-app",
                "ENTRA_MCP_PUBLIC_BASE_URL", "http://mcp.example.com"), java(), "-jar", jar().toString());
        Lines err = new Lines(process.getErrorStream());

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(err.text())
                .contains("entra-mcp (remote): could not start: Invalid authentication configuration:")
                .contains("entramcp.auth.tenant-id must be your Entra directory (tenant) id")
                .contains("entramcp.auth.client-id must be the Application (client) ID")
                .contains("entramcp.http.public-base-url must be an https URL")
                .doesNotContain("\tat ", "Exception");
    }

    @Test
    void givenAnUnknownOption_theJar_exits2WithTheUsage() throws Exception {
        Process process = launch(Map.of(), java(), "-jar", jar().toString(), "--dmeo");
        Lines err = new Lines(process.getErrorStream());

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(err.text()).contains("Unknown option '--dmeo'.", "Usage: java -jar app-remote/target/app-remote.jar");
    }

    /** A child's output, read line by line on a daemon thread, so that a test can wait for a line with a timeout. */
    private static final class Lines {
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Lines(InputStream stream) {
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException ended) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** The first line containing {@code needle}, waiting for it at most {@code timeout}. */
        String await(String needle, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (lines) {
                while (true) {
                    for (String line : lines) {
                        if (line.contains(needle)) {
                            return line;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !reader.isAlive() && lines.stream().noneMatch(line -> line.contains(needle))) {
                        throw new AssertionError("no line containing '" + needle + "' within " + timeout + "; read:\n"
                                + String.join("\n", lines));
                    }
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        }

        /** Everything read so far. */
        String soFar() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        /** Everything, once the process has ended and the reader has read it all. */
        String text() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return soFar();
        }
    }
}
