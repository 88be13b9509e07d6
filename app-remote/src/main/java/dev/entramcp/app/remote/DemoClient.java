package dev.entramcp.app.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A minimal MCP client that does what the MCP authorization spec asks of a client, driven only by
 * what the server advertises: call {@code /mcp} without a token, read the {@code resource_metadata}
 * of the 401 challenge, fetch the Protected Resource Metadata (and check that it describes the
 * server called), discover the authorization server (and check that its document names it), sign
 * in with a device code for the scopes the challenge asked for (PRM's {@code scopes_supported} only
 * when it names none, as the specification's scope selection says), then call tools with the token.
 *
 * <pre>java -cp app-remote/target/app-remote.jar dev.entramcp.app.remote.DemoClient SERVER_URL --client-id ID [--cacert PEM]</pre>
 *
 * It is a teaching and demo tool: it prints the access token's length, never the token.
 */
public final class DemoClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESOURCE_METADATA = Pattern.compile("resource_metadata=\"([^\"]+)\"");
    private static final Pattern SCOPE = Pattern.compile("(?:^|[\\s,])scope=\"([^\"]*)\"");

    private final HttpClient http;
    private final PrintStream log;

    public DemoClient(SSLContext trust, PrintStream log) {
        this.http = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.log = log;
    }

    public static void main(String[] args) {
        if (args.length < 3 || !"--client-id".equals(args[1])) {
            System.err.println("Usage: DemoClient SERVER_URL --client-id CLIENT_ID [--cacert PEM]");
            System.exit(2);
        }
        try {
            SSLContext trust = args.length >= 5 && "--cacert".equals(args[3]) ? trusting(Path.of(args[4])) : SSLContext.getDefault();
            DemoClient client = new DemoClient(trust, System.out);
            String token = client.signIn(URI.create(args[0]), args[2]);
            try (McpSyncClient mcp = client.connect(URI.create(args[0]), token)) {
                System.out.println("tools/list -> " + mcp.listTools().tools().stream().map(McpSchema.Tool::name).toList());
                McpSchema.CallToolResult profile = mcp.callTool(new McpSchema.CallToolRequest("get_user_profile", Map.of()));
                System.out.println("get_user_profile -> " + ((McpSchema.TextContent) profile.content().get(0)).text());
            }
        } catch (Exception failed) {
            System.err.println("DemoClient: " + (failed.getMessage() == null ? failed.getClass().getSimpleName() : failed.getMessage()));
            System.exit(1);
        }
    }

    /**
     * Discovers the authorization server through the server's 401 challenge and PRM, and signs in
     * with a device code (which the demo emulator approves on its own). Returns the access token.
     */
    public String signIn(URI server, String clientId) throws IOException, InterruptedException {
        HttpResponse<String> challenge = http.send(HttpRequest.newBuilder(server.resolve("/mcp"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
        String wwwAuthenticate = challenge.headers().firstValue("WWW-Authenticate").orElseThrow(
                () -> new IllegalStateException("the server answered " + challenge.statusCode() + " without a challenge"));
        Matcher metadataUrl = RESOURCE_METADATA.matcher(wwwAuthenticate);
        if (challenge.statusCode() != 401 || !metadataUrl.find()) {
            throw new IllegalStateException("expected a 401 challenge with resource_metadata, got " + challenge.statusCode());
        }
        Matcher challengedScope = SCOPE.matcher(wwwAuthenticate);
        List<String> scopes = new ArrayList<>();
        if (challengedScope.find() && !challengedScope.group(1).isBlank()) {
            // The specification's scope selection: the challenge's scope first, scopes_supported only
            // without one. The server keeps it to what a user may consent to alone; a tool needing
            // more asks for it by step-up (403 insufficient_scope) when it is called.
            scopes.addAll(List.of(challengedScope.group(1).trim().split("\\s+")));
        }
        log.println("1. 401 challenge points at " + metadataUrl.group(1)
                + (scopes.isEmpty() ? "" : " and asks for " + String.join(" ", scopes)));

        JsonNode metadata = getJson(URI.create(metadataUrl.group(1)));
        String resource = metadata.path("resource").asText();
        URI expected = server.resolve("/mcp");
        if (!expected.toString().equals(resource)) {
            // RFC 9728 section 3.3: metadata describing another resource must not be used, or a
            // server could send this client to sign in for, and hand it tokens of, someone else's API.
            throw new IllegalStateException("the resource metadata describes '" + resource + "', not " + expected
                    + ": refusing to get a token for it");
        }
        String issuer = metadata.path("authorization_servers").path(0).asText();
        if (scopes.isEmpty()) {
            metadata.path("scopes_supported").forEach(scope -> scopes.add(scope.asText()));
        }
        log.println("2. PRM: resource " + resource + ", authorization server " + issuer);

        JsonNode discovery = getJson(URI.create(issuer + "/.well-known/openid-configuration"));
        if (!issuer.equals(discovery.path("issuer").asText())) {
            // OpenID Connect Discovery section 4.3: the document must name the issuer it was fetched for.
            throw new IllegalStateException("the discovery document of " + issuer + " names another issuer, '"
                    + discovery.path("issuer").asText() + "'");
        }
        URI deviceEndpoint = URI.create(discovery.path("device_authorization_endpoint").asText());
        URI tokenEndpoint = URI.create(discovery.path("token_endpoint").asText());
        log.println("3. discovery: device code at " + deviceEndpoint);

        scopes.add("offline_access");
        JsonNode device = postForm(deviceEndpoint, Map.of("client_id", clientId, "scope", String.join(" ", scopes)));
        if (!device.hasNonNull("device_code")) {
            throw new IllegalStateException("sign-in failed: " + device.path("error").asText() + " " + device.path("error_description").asText());
        }
        log.println("4. " + device.path("message").asText());
        Duration interval = Duration.ofSeconds(Math.max(1, device.path("interval").asInt(1)));
        long deadline = System.nanoTime() + Duration.ofSeconds(device.path("expires_in").asInt(300)).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode token = postForm(tokenEndpoint, Map.of("client_id", clientId, "device_code", device.path("device_code").asText(),
                    "grant_type", "urn:ietf:params:oauth:grant-type:device_code"));
            if (token.has("access_token")) {
                log.println("5. signed in: an access token of " + token.path("access_token").asText().length()
                        + " characters for " + token.path("scope").asText());
                return token.path("access_token").asText();
            }
            if (!"authorization_pending".equals(token.path("error").asText())) {
                throw new IllegalStateException("sign-in failed: " + token.path("error").asText() + " " + token.path("error_description").asText());
            }
            Thread.sleep(interval.toMillis());
        }
        throw new IllegalStateException("the device code expired before sign-in completed");
    }

    /** An MCP client over Streamable HTTP that sends the token on every request. */
    public McpSyncClient connect(URI server, String accessToken) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(server.toString())
                .endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(JSON))
                .addHttpRequestCustomizer((builder, method, uri, body, context) -> builder.header("Authorization", "Bearer " + accessToken))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        return client;
    }

    private JsonNode getJson(URI uri) throws IOException, InterruptedException {
        return JSON.readTree(http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private JsonNode postForm(URI uri, Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return JSON.readTree(http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** An SSLContext trusting exactly the certificates of a PEM file. */
    public static SSLContext trusting(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("trusted-" + index++, certificate);
            }
            TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            managers.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, managers.getTrustManagers(), null);
            return context;
        }
    }
}
