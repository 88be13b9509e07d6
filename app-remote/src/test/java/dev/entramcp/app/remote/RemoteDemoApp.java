package dev.entramcp.app.remote;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entramcp.emulator.AppRegistration;
import dev.entramcp.emulator.EmulatorControl;
import dev.entramcp.emulator.EntraEmulator;
import io.micronaut.runtime.server.EmbeddedServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real remote app, started in-process exactly as {@code java -jar app-remote.jar --demo}
 * starts it ({@link RemoteApplication#start}): its own embedded emulator, the real composition
 * root, On-Behalf-Of through msal4j to the emulator's token endpoint, Graph on the emulator. Tests
 * mint tokens with the emulator's real keys ({@link EmulatorControl#issueAccessToken}) and talk to
 * the server over real HTTP, with the MCP SDK's client or the JDK's.
 */
final class RemoteDemoApp implements AutoCloseable {

    static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",\
            "capabilities":{},"clientInfo":{"name":"raw-test","version":"1.0"}}}""";
    static final String INITIALIZED = """
            {"jsonrpc":"2.0","method":"notifications/initialized"}""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RemoteApplication.Running running;
    private final String banner;
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<McpSyncClient> clients = new ArrayList<>();

    private RemoteDemoApp(RemoteApplication.Running running, String banner) {
        this.running = running;
        this.banner = banner;
        String base = running.context().getBean(EmbeddedServer.class).getURL().toString();
        this.url = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    }

    /**
     * {@code --demo} on any free port, the rate limit raised so that a whole test run as alice never
     * meets it (adapters-http tests the limit itself), then {@code more} arguments.
     */
    static RemoteDemoApp start(String... more) {
        List<String> args = new ArrayList<>(List.of("--demo", "-micronaut.server.port=-1",
                "-entramcp.mcp.rate-limit.requests-per-second=1000", "-entramcp.mcp.rate-limit.burst=1000"));
        args.addAll(Arrays.asList(more));
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        RemoteApplication.Running running = RemoteApplication.start(RemoteOptions.parse(args.toArray(String[]::new)),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        return new RemoteDemoApp(running, stderr.toString(StandardCharsets.UTF_8));
    }

    URI url() {
        return url;
    }

    String banner() {
        return banner;
    }

    RemoteApplication.Running running() {
        return running;
    }

    EntraEmulator emulator() {
        return running.emulator().orElseThrow();
    }

    EmulatorControl control() {
        return emulator().control();
    }

    /** The server's own registration: the API that tokens are for, and the confidential client of On-Behalf-Of. */
    AppRegistration api() {
        return emulator().apps().remote();
    }

    /** The public client that stands for an MCP client (VS Code, Inspector). */
    String demoClientId() {
        return emulator().apps().demo().clientId();
    }

    String objectId(String user) {
        return emulator().user(user).objectId();
    }

    /** {@code api://<api>/User.Read}: a scope as a client requests it. */
    String scope(String name) {
        return api().appIdUri() + "/" + name;
    }

    String resourceMetadataUrl() {
        return url + "/.well-known/oauth-protected-resource/mcp";
    }

    /** The challenge's {@code resource_metadata} and {@code scope}, as every 401 of this server ends. */
    String challengeTail() {
        return "resource_metadata=\"" + resourceMetadataUrl() + "\", scope=\"" + scope("User.Read") + " " + scope("Mail.Send") + "\"";
    }

    /** A token of {@code user}, obtained by the demo client, for exactly these scopes of the API. */
    String token(String user, String... scopes) {
        return control().issueAccessToken(user, demoClientId(), Arrays.stream(scopes).map(this::scope).toArray(String[]::new));
    }

    /** Alice's or Bob's usual token: both API scopes. */
    String fullToken(String user) {
        return token(user, "User.Read", "Mail.Send");
    }

    /** The claims of such a token, to alter and sign with {@link EmulatorControl#signJwt}. */
    Map<String, Object> claims(String user) {
        return control().accessTokenClaims(user, demoClientId(), scope("User.Read"), scope("Mail.Send"));
    }

    /** The SDK's Streamable HTTP client, sending {@code Authorization: Bearer <token>} on every request; initialized. */
    McpSyncClient client(String token) {
        return client(() -> token, spec -> { });
    }

    McpSyncClient client(Supplier<String> token, Consumer<McpClient.SyncSpec> customize) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(url.toString())
                .endpoint("/mcp")
                .addHttpRequestCustomizer((builder, method, uri, body, context) -> builder.header("Authorization", "Bearer " + token.get()))
                .build();
        McpClient.SyncSpec spec = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20))
                .initializationTimeout(Duration.ofSeconds(20));
        customize.accept(spec);
        McpSyncClient client = spec.build();
        clients.add(client);
        client.initialize();
        return client;
    }

    /** The SDK's legacy HTTP+SSE client ({@code /sse} then the message endpoint), with the token; initialized. */
    @SuppressWarnings("deprecation")
    McpSyncClient legacyClient(String token) {
        HttpClientSseClientTransport transport = HttpClientSseClientTransport.builder(url.toString())
                .sseEndpoint("/sse")
                .addHttpRequestCustomizer((builder, method, uri, body, context) -> builder.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20))
                .initializationTimeout(Duration.ofSeconds(20)).build();
        clients.add(client);
        client.initialize();
        return client;
    }

    static List<String> toolNames(McpSyncClient client) {
        return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
    }

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
        return McpSchema.CallToolRequest.builder(tool).arguments(arguments).build();
    }

    static McpSchema.CallToolRequest sendMail(String subject) {
        return call("send_mail", Map.of("to", List.of("carol@contoso.example"), "subject", subject, "body", "Hello from a test"));
    }

    /** A POST to {@code path} as MCP clients send it, with the token ({@code null}: none) and more headers (name, value). */
    HttpResponse<String> post(String path, String token, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(request, token, headers);
    }

    HttpResponse<String> get(String path, String token, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(20)).GET(), token, headers);
    }

    /** Starts a raw session with {@code token} and returns its id. */
    String initialize(String token) {
        HttpResponse<String> response = post("/mcp", token, INITIALIZE);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String session = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(post("/mcp", token, INITIALIZED, "Mcp-Session-Id", session).statusCode()).isEqualTo(202);
        return session;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token, String... headers) {
        if (token != null) {
            request.setHeader("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static Map<String, Object> json(String body) {
        try {
            return JSON.readValue(body, new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    /** Polls until {@code attempt} gives a value matching {@code done}, or fails after {@code timeout}. */
    static <T> T pollUntil(Duration timeout, Supplier<T> attempt, Predicate<T> done) {
        Instant deadline = Instant.now().plus(timeout);
        T last = attempt.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + timeout + "; last: " + last);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            last = attempt.get();
        }
        return last;
    }

    /** Closes the clients a test opened, keeping the server. */
    void closeClients() {
        clients.forEach(McpSyncClient::closeGracefully);
        clients.clear();
    }

    @Override
    public void close() {
        try {
            closeClients();
        } finally {
            running.close();
        }
    }
}
