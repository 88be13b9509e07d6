package dev.entramcp.bench.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entramcp.adapter.http.auth.BearerTokenVerifier;
import dev.entramcp.adapter.http.auth.TokenVerification;
import dev.entramcp.app.remote.DemoClient;
import dev.entramcp.app.remote.RemoteApplication;
import dev.entramcp.app.remote.RemoteOptions;
import dev.entramcp.emulator.EntraEmulator;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server of the HTTP benchmarks (H1, H2, H3, M1): {@code app-remote --demo} in this JVM, with
 * its embedded Entra emulator, configured for a load test, and ready for one:
 *
 * <pre>java -jar bench/target/remote-bench.jar --auth on|off [--port N] [--rate-limit N]</pre>
 *
 * <ol>
 *   <li>Starts the remote server exactly as {@code app-remote.jar --demo} does
 *       ({@link RemoteApplication#start}), on loopback, with the per-principal rate limit raised to
 *       {@code --rate-limit} requests per second (default 1,000,000; burst the same): one user
 *       sends the whole load, and the limiter stays on, so its cost is measured.</li>
 *   <li>Signs alice in exactly as {@link DemoClient} does: the 401 challenge, PRM, discovery and a
 *       device code the emulator approves.</li>
 *   <li>With {@code --auth off} only: adds {@code -entramcp.bench.unauthenticated-loopback-caller=true}
 *       and {@code -micronaut.security.filter.enabled=false}, then verifies alice's token once with
 *       the server's own {@link BearerTokenVerifier} and attributes every request to that caller
 *       ({@link UnauthenticatedLoopbackCaller}). The same build serves both modes.</li>
 *   <li>Opens one MCP session ({@code initialize}, {@code notifications/initialized}), checks one
 *       {@code tools/call whoami}, and prints one JSON line on stdout: {@code url}, {@code pid},
 *       {@code auth}, {@code token}, {@code session}, {@code protocolVersion}, {@code expect}.</li>
 *   <li>Serves until stdin closes (or SIGTERM), then stops.</li>
 * </ol>
 * The token is a demo emulator's (valid for an hour, for this run's server only); it goes to
 * stdout because the load generator must send it. Logs go to stderr.
 */
public final class BenchRemoteServer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPECTED = "You are Alice Adams";

    private BenchRemoteServer() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream stdout = System.out;
        System.setOut(System.err); // nothing but the one JSON line goes to stdout
        boolean authOn = true;
        int port = 0;
        long rateLimit = 1_000_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--auth" -> authOn = switch (args[++i]) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--auth takes on or off");
                };
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--rate-limit" -> rateLimit = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: --auth on|off [--port N] [--rate-limit N]");
            }
        }
        List<String> options = new ArrayList<>(List.of("--demo",
                "-micronaut.server.port=" + port,
                "-entramcp.mcp.rate-limit.requests-per-second=" + rateLimit,
                "-entramcp.mcp.rate-limit.burst=" + rateLimit));
        if (!authOn) {
            options.add("-" + UnauthenticatedLoopbackCaller.SWITCH + "=true");
            options.add("-micronaut.security.filter.enabled=false");
        }
        RemoteApplication.Running running = RemoteApplication.start(RemoteOptions.parse(options.toArray(String[]::new)), System.err);
        try {
            EmbeddedServer server = running.context().getBean(EmbeddedServer.class);
            EntraEmulator emulator = running.emulator().orElseThrow();
            URI url = URI.create(server.getURL().toString().replaceAll("/$", ""));
            if (UnauthenticatedLoopbackCaller.nonLoopbackReason(server.getHost()).isPresent()) {
                throw new IllegalStateException("the benchmark server is not on loopback: " + server.getHost());
            }

            String token = new DemoClient(emulator.sslContext(), new PrintStream(new ByteArrayOutputStream()))
                    .signIn(url, emulator.apps().demo().clientId());
            if (!authOn) {
                TokenVerification verified = running.context().getBean(BearerTokenVerifier.class).verify(token);
                if (!(verified instanceof TokenVerification.Verified ok)) {
                    throw new IllegalStateException("the demo token did not verify: " + verified);
                }
                running.context().getBean(UnauthenticatedLoopbackCaller.class).use(ok.caller(), ok.expiresAt());
            }

            Session session = Session.open(url, token);
            String text = session.callWhoAmI();
            if (!text.contains(EXPECTED)) {
                throw new IllegalStateException("whoami answered '" + text + "', not '" + EXPECTED + "...'");
            }
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("url", url + "/mcp");
            ready.put("pid", ProcessHandle.current().pid());
            ready.put("auth", authOn ? "on" : "off");
            ready.put("token", token);
            ready.put("session", session.id);
            ready.put("protocolVersion", session.protocolVersion);
            ready.put("expect", EXPECTED);
            stdout.println(JSON.writeValueAsString(ready));
            stdout.flush();

            while (System.in.read() >= 0) {
                // serve until stdin closes
            }
        } finally {
            running.close();
        }
        System.exit(0);
    }

    /** One MCP session over Streamable HTTP, opened with plain HTTP requests. */
    private static final class Session {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private final URI endpoint;
        private final String token;
        private String id;
        private String protocolVersion;

        private Session(URI endpoint, String token) {
            this.endpoint = endpoint;
            this.token = token;
        }

        static Session open(URI server, String token) throws IOException, InterruptedException {
            Session session = new Session(server.resolve("/mcp"), token);
            HttpResponse<String> initialized = session.post("""
                    {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
                    "capabilities":{},"clientInfo":{"name":"entra-mcp-bench","version":"1"}}}""");
            if (initialized.statusCode() != 200) {
                throw new IllegalStateException("initialize answered " + initialized.statusCode() + ": " + initialized.body());
            }
            session.id = initialized.headers().firstValue("Mcp-Session-Id")
                    .orElseThrow(() -> new IllegalStateException("initialize answered without Mcp-Session-Id"));
            session.protocolVersion = JSON.readTree(initialized.body()).path("result").path("protocolVersion").asText();
            HttpResponse<String> notified = session.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            if (notified.statusCode() != 202) {
                throw new IllegalStateException("notifications/initialized answered " + notified.statusCode());
            }
            return session;
        }

        String callWhoAmI() throws IOException, InterruptedException {
            HttpResponse<String> answer = post("""
                    {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{}}}""");
            JsonNode result = JSON.readTree(answer.body()).path("result");
            if (answer.statusCode() != 200 || result.path("isError").asBoolean(true)) {
                throw new IllegalStateException("whoami answered " + answer.statusCode() + ": " + answer.body());
            }
            return result.path("content").path(0).path("text").asText();
        }

        private HttpResponse<String> post(String body) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (id != null) {
                request.header("Mcp-Session-Id", id).header("MCP-Protocol-Version", protocolVersion);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
