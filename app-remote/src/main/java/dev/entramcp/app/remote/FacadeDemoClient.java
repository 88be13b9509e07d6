package dev.entramcp.app.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * An MCP client that does what the MCP authorization spec asks of a client that nobody
 * registered anywhere, against the authorization-server facade, driven only by what the server
 * advertises:
 * <ol>
 *   <li>call {@code /mcp} without a token and read the 401 challenge's {@code resource_metadata};</li>
 *   <li>fetch the Protected Resource Metadata, then the authorization server's metadata;</li>
 *   <li>register itself (RFC 7591) as a public native client with a loopback redirect URI, or use
 *       a Client ID Metadata Document URL as its {@code client_id};</li>
 *   <li>send "the browser" to {@code /authorize} with PKCE S256, a {@code state} and the
 *       {@code resource}, allow on the consent page, sign in at the Entra emulator, come back
 *       through the facade's callback, and take the code from the redirect to its own URI;</li>
 *   <li>exchange the code, call tools with the access token, refresh, and revoke.</li>
 * </ol>
 *
 * <pre>java -cp app-remote/target/app-remote.jar dev.entramcp.app.remote.FacadeDemoClient SERVER_URL [--cacert PEM] [--user NAME]</pre>
 *
 * <p>"The browser" is played by hand: the JDK HttpClient follows the redirects itself and posts
 * the forms a person would (the facade's consent page, the emulator's sign-in page when sign-ins
 * are not approved automatically, and the emulator's {@code form_post} page). A real native client
 * opens the system browser and listens on its loopback redirect URI; this one stops at the
 * redirect instead. It prints token lengths, never tokens.
 */
public final class FacadeDemoClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESOURCE_METADATA = Pattern.compile("resource_metadata=\"([^\"]+)\"");
    private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"");
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
    private static final String REDIRECT_URI = "http://127.0.0.1:53682/callback";
    private static final Pattern MAX_AGE_ZERO = Pattern.compile(";\\s*[Mm][Aa][Xx]-[Aa][Gg][Ee]=0(;|$)");

    private final HttpClient http;
    private final PrintStream log;
    private final String user;
    private final Map<String, Map<String, String>> cookies = new ConcurrentHashMap<>();

    /**
     * @param trust what to trust for TLS (the emulator's certificate in the demo)
     * @param log   where to say what happens
     * @param user  who signs in at the emulator when it shows its sign-in page (alice, bob)
     */
    public FacadeDemoClient(SSLContext trust, PrintStream log, String user) {
        this.http = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.log = log;
        this.user = user;
    }

    /** What discovery found. */
    public record Discovery(URI resourceMetadataUrl, JsonNode resourceMetadata, JsonNode authorizationServer) {
        public URI endpoint(String name) {
            return URI.create(authorizationServer.path(name).asText());
        }

        public String resource() {
            return resourceMetadata.path("resource").asText();
        }
    }

    /** A signed-in client: its id and the tokens it holds. Masks the tokens in {@code toString}. */
    public record Session(Discovery discovery, String clientId, String accessToken, String refreshToken, String scope) {
        @Override
        public String toString() {
            return "Session[clientId=" + clientId + ", scope=" + scope + ", tokens=***]";
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("Usage: FacadeDemoClient SERVER_URL [--cacert PEM] [--user NAME]");
            System.exit(2);
        }
        SSLContext trust = SSLContext.getDefault();
        String user = "alice";
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--cacert" -> trust = DemoClient.trusting(Path.of(args[i + 1]));
                case "--user" -> user = args[i + 1];
                default -> {
                    System.err.println("Unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        URI server = URI.create(args[0]);
        FacadeDemoClient client = new FacadeDemoClient(trust, System.out, user);
        Session session = client.signIn(server, Optional.empty());
        try (McpSyncClient mcp = new DemoClient(trust, System.out).connect(server, session.accessToken())) {
            System.out.println("7. tools/list -> " + mcp.listTools().tools().stream().map(McpSchema.Tool::name).toList());
            McpSchema.CallToolResult profile = mcp.callTool(new McpSchema.CallToolRequest("get_user_profile", Map.of()));
            System.out.println("   get_user_profile -> " + ((McpSchema.TextContent) profile.content().get(0)).text());
        }
        Session refreshed = client.refresh(session);
        client.revoke(refreshed);
    }

    /**
     * Steps 1 to 6: discovery, registration (unless {@code clientId} is given, such as a metadata
     * document URL), authorization in "the browser", and the code exchange.
     */
    public Session signIn(URI server, Optional<String> clientId) throws IOException, InterruptedException {
        Discovery discovery = discover(server);
        String id = clientId.isPresent() ? clientId.get() : register(discovery);
        String verifier = random();
        String state = random();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", id);
        query.put("redirect_uri", REDIRECT_URI);
        query.put("code_challenge", s256(verifier));
        query.put("code_challenge_method", "S256");
        query.put("state", state);
        query.put("scope", String.join(" ", texts(discovery.resourceMetadata().path("scopes_supported"))) + " offline_access");
        query.put("resource", discovery.resource());
        URI back = browse(URI.create(discovery.endpoint("authorization_endpoint") + "?" + form(query)));
        Map<String, String> answer = query(back);
        if (!state.equals(answer.get("state")) || !discovery.authorizationServer().path("issuer").asText().equals(answer.get("iss"))) {
            throw new IllegalStateException("the authorization response does not match the request (state or iss)");
        }
        if (answer.containsKey("error")) {
            throw new IllegalStateException("authorization refused: " + answer.get("error") + " " + answer.get("error_description"));
        }
        log.println("5. authorized: a code came back to " + REDIRECT_URI + " with our state and the issuer");
        Map<String, String> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", "authorization_code");
        exchange.put("code", answer.get("code"));
        exchange.put("redirect_uri", REDIRECT_URI);
        exchange.put("code_verifier", verifier);
        exchange.put("client_id", id);
        exchange.put("resource", discovery.resource());
        JsonNode tokens = tokenRequest(discovery, exchange);
        log.println("6. tokens: an access token of " + tokens.path("access_token").asText().length() + " characters for '"
                + tokens.path("scope").asText() + "', expiring in " + tokens.path("expires_in").asLong() + " s, and a refresh token");
        return new Session(discovery, id, tokens.path("access_token").asText(), tokens.path("refresh_token").asText(null),
                tokens.path("scope").asText());
    }

    /** A new access token (and a new refresh token: the old one is now spent). */
    public Session refresh(Session session) throws IOException, InterruptedException {
        JsonNode tokens = tokenRequest(session.discovery(), Map.of("grant_type", "refresh_token",
                "refresh_token", session.refreshToken(), "client_id", session.clientId()));
        log.println("8. refreshed: a new access token and a new refresh token (the old one would now revoke everything)");
        return new Session(session.discovery(), session.clientId(), tokens.path("access_token").asText(),
                tokens.path("refresh_token").asText(null), tokens.path("scope").asText());
    }

    /**
     * Ends the grant (RFC 7009): the access token and the refresh token stop working at once. The
     * revocation endpoint answers 200 for any token it accepts to look at (RFC 7009 section 2.2);
     * anything else (a refused client, a limit) means nothing was revoked, and this says so.
     */
    public void revoke(Session session) throws IOException, InterruptedException {
        HttpResponse<String> answer = post(session.discovery().endpoint("revocation_endpoint"),
                Map.of("token", session.refreshToken(), "client_id", session.clientId()), Map.of());
        if (answer.statusCode() != 200) {
            String error;
            try {
                JsonNode body = JSON.readTree(answer.body() == null ? "" : answer.body());
                error = body == null ? "" : " " + body.path("error").asText() + ": " + body.path("error_description").asText();
            } catch (IOException notJson) {
                error = "";
            }
            throw new IllegalStateException("revocation refused: HTTP " + answer.statusCode() + error);
        }
        log.println("9. revoked: HTTP 200; the grant is gone");
    }

    private Discovery discover(URI server) throws IOException, InterruptedException {
        HttpResponse<String> challenge = http.send(HttpRequest.newBuilder(server.resolve("/mcp"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
        Matcher metadataUrl = RESOURCE_METADATA.matcher(challenge.headers().firstValue("WWW-Authenticate").orElse(""));
        if (challenge.statusCode() != 401 || !metadataUrl.find()) {
            throw new IllegalStateException("expected a 401 challenge with resource_metadata, got " + challenge.statusCode());
        }
        log.println("1. 401 challenge points at " + metadataUrl.group(1));
        JsonNode prm = JSON.readTree(get(URI.create(metadataUrl.group(1))).body());
        String issuer = prm.path("authorization_servers").path(0).asText();
        log.println("2. PRM: resource " + prm.path("resource").asText() + ", authorization server " + issuer);
        JsonNode metadata = JSON.readTree(get(URI.create(issuer + "/.well-known/oauth-authorization-server")).body());
        if (!issuer.equals(metadata.path("issuer").asText())
                || !texts(metadata.path("code_challenge_methods_supported")).contains("S256")) {
            throw new IllegalStateException("the authorization server metadata does not match its issuer or lacks S256");
        }
        log.println("3. metadata: authorize at " + metadata.path("authorization_endpoint").asText() + ", register at "
                + metadata.path("registration_endpoint").asText());
        return new Discovery(URI.create(metadataUrl.group(1)), prm, metadata);
    }

    private String register(Discovery discovery) throws IOException, InterruptedException {
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("client_name", "entra-mcp facade demo client");
        metadata.putArray("redirect_uris").add(REDIRECT_URI);
        metadata.putArray("grant_types").add("authorization_code").add("refresh_token");
        metadata.put("token_endpoint_auth_method", "none");
        metadata.put("application_type", "native");
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(discovery.endpoint("registration_endpoint"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(metadata.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("registration refused: HTTP " + answer.statusCode() + " " + answer.body());
        }
        String clientId = JSON.readTree(answer.body()).path("client_id").asText();
        log.println("4. registered as client " + clientId + " (public, native, PKCE only)");
        return clientId;
    }

    /**
     * Plays the person's browser from {@code start} until a redirect to this client's redirect
     * URI: follows redirects, allows on the consent page, picks {@link #user} on the emulator's
     * sign-in page, accepts its consent page, and posts its {@code form_post} page.
     */
    private URI browse(URI start) throws IOException, InterruptedException {
        HttpResponse<String> response = get(start);
        for (int step = 0; step < 20; step++) {
            int status = response.statusCode();
            if (status >= 300 && status < 400) {
                URI location = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
                if (location.toString().startsWith(REDIRECT_URI)) {
                    return location;
                }
                response = get(location);
                continue;
            }
            Matcher action = FORM.matcher(response.body());
            if (status != 200 || !action.find()) {
                throw new IllegalStateException("the sign-in stopped at HTTP " + status + " on " + response.uri().getPath());
            }
            URI target = response.uri().resolve(unescape(action.group(1)));
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher hidden = HIDDEN.matcher(response.body());
            while (hidden.find()) {
                fields.put(unescape(hidden.group(1)), unescape(hidden.group(2)));
            }
            String path = target.getPath();
            if (path.endsWith("/authorize/consent")) {
                log.println("   consent page: allow");
                fields.put("decision", "allow");
            } else if (path.endsWith("/ui/login")) {
                log.println("   emulator sign-in page: " + user);
                fields.put("username", user);
            } else if (path.endsWith("/ui/consent")) {
                fields.put("decision", "accept");
            } else {
                log.println("   back from the emulator to " + target.getScheme() + "://" + target.getRawAuthority() + path);
            }
            response = post(target, fields, Map.of("Origin", browserOrigin(response, target)));
        }
        throw new IllegalStateException("the sign-in did not come back to the client");
    }

    private JsonNode tokenRequest(Discovery discovery, Map<String, String> fields) throws IOException, InterruptedException {
        HttpResponse<String> answer = post(discovery.endpoint("token_endpoint"), fields, Map.of());
        JsonNode body = JSON.readTree(answer.body());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("token request refused: " + body.path("error").asText() + " "
                    + body.path("error_description").asText());
        }
        return body;
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        return send(request, uri);
    }

    /**
     * The {@code Origin} a browser sends with a form {@code POST} from {@code page} to
     * {@code target}, which depends on the page's {@code Referrer-Policy} (Fetch standard, "append
     * a request Origin header"): {@code null} under {@code no-referrer}, and under
     * {@code same-origin} for another origin; under the {@code strict-origin} policies (the default
     * is {@code strict-origin-when-cross-origin}) {@code null} from an https page to a plain http
     * target; otherwise the page's origin. The facade's consent endpoint refuses {@code null}, so
     * this client fails as a real browser would if the consent page's policy were wrong.
     */
    static String browserOrigin(HttpResponse<?> page, URI target) {
        String origin = page.uri().getScheme() + "://" + page.uri().getRawAuthority();
        String policy = page.headers().firstValue("Referrer-Policy").map(value -> {
            String[] tokens = value.split(",");
            return tokens[tokens.length - 1].strip().toLowerCase(java.util.Locale.ROOT);
        }).orElse("strict-origin-when-cross-origin");
        return switch (policy) {
            case "no-referrer" -> "null";
            case "same-origin" -> origin.equals(target.getScheme() + "://" + target.getRawAuthority()) ? origin : "null";
            case "no-referrer-when-downgrade", "strict-origin", "strict-origin-when-cross-origin" ->
                    "https".equals(page.uri().getScheme()) && !"https".equals(target.getScheme()) ? "null" : origin;
            default -> origin;
        };
    }

    private HttpResponse<String> post(URI uri, Map<String, String> fields, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        headers.forEach(request::header);
        return send(request, uri);
    }

    /**
     * Sends with this origin's cookies, and keeps the ones it sets (a browser's cookie jar, per
     * origin; a cookie cleared with {@code Max-Age=0} is forgotten). Like a browser, it sends the
     * facade's sign-in cookie with the emulator's cross-site {@code form_post} to the callback:
     * that cookie binds the sign-in to the "browser" that consented.
     */
    private HttpResponse<String> send(HttpRequest.Builder request, URI uri) throws IOException, InterruptedException {
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        Map<String, String> jar = cookies.computeIfAbsent(origin, key -> new ConcurrentHashMap<>());
        if (!jar.isEmpty()) {
            request.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String pair = setCookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                String name = pair.substring(0, eq).strip();
                String value = pair.substring(eq + 1).strip();
                if (value.isEmpty() || MAX_AGE_ZERO.matcher(setCookie).find()) {
                    jar.remove(name);
                } else {
                    jar.put(name, value);
                }
            }
        }
        return response;
    }

    private static java.util.List<String> texts(JsonNode array) {
        java.util.List<String> values = new java.util.ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : Optional.ofNullable(uri.getRawQuery()).orElse("").split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
