package dev.entramcp.adapter.http.facade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entramcp.domain.model.CallerIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An MCP client doing OAuth the way the MCP authorization spec asks, driven only by what the
 * server advertises (401 challenge, Protected Resource Metadata, authorization server metadata),
 * together with the person's browser: the JDK HttpClient, following no redirect by itself, with
 * its own cookie jar (a cookie cleared with {@code Max-Age=0} is forgotten), posting the consent
 * form as a browser would. The person's sign-in at Entra
 * is the {@link FakeUpstream}'s.
 */
public final class OAuthTestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESOURCE_METADATA = Pattern.compile("resource_metadata=\"([^\"]+)\"");
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
    private static final Pattern FORM_ACTION = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\">");

    private final URI server;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> cookies = new ConcurrentHashMap<>();

    public OAuthTestClient(URI server) {
        this.server = server;
    }

    /** What discovery found. */
    public record Discovery(String resourceMetadataUrl, JsonNode resourceMetadata, JsonNode authorizationServer) {
        public URI endpoint(String name) {
            return URI.create(authorizationServer.path(name).asText());
        }

        public String resource() {
            return resourceMetadata.path("resource").asText();
        }
    }

    /** A registered client. */
    public record Client(String clientId, String clientSecret, String redirectUri) {
    }

    /** PKCE values. */
    public record Pkce(String verifier, String challenge) {
        public static Pkce fresh() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            return new Pkce(verifier, s256(verifier));
        }
    }

    /** The tokens of a signed-in client. */
    public record Tokens(String accessToken, String refreshToken, String scope, JsonNode response) {
    }

    /** Steps 1 to 3: the 401 challenge, PRM, the authorization server's metadata. */
    public Discovery discover() {
        HttpResponse<String> challenge = send(HttpRequest.newBuilder(server.resolve("/mcp"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").build());
        assertThat(challenge.statusCode()).isEqualTo(401);
        Matcher metadataUrl = RESOURCE_METADATA.matcher(challenge.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertThat(metadataUrl.find()).isTrue();
        JsonNode prm = json(get(URI.create(metadataUrl.group(1))));
        String issuer = prm.path("authorization_servers").path(0).asText();
        JsonNode metadata = json(get(URI.create(issuer + "/.well-known/oauth-authorization-server")));
        assertThat(metadata.path("issuer").asText()).isEqualTo(issuer);
        return new Discovery(metadataUrl.group(1), prm, metadata);
    }

    /** Step 4: registers a public native client with a loopback redirect URI, as MCP desktop clients do. */
    public Client registerPublicClient(Discovery discovery) {
        return register(discovery, """
                {"client_name":"Test MCP client","redirect_uris":["http://127.0.0.1:53682/callback"],
                 "grant_types":["authorization_code","refresh_token"],"token_endpoint_auth_method":"none"}""");
    }

    /** Registers a client with this metadata; expects 201. */
    public Client register(Discovery discovery, String metadata) {
        HttpResponse<String> answer = postJson(discovery.endpoint("registration_endpoint"), metadata);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        JsonNode registered = json(answer);
        return new Client(registered.path("client_id").asText(),
                registered.hasNonNull("client_secret") ? registered.path("client_secret").asText() : null,
                registered.path("redirect_uris").path(0).asText());
    }

    /** The authorize URL for this client, with PKCE S256, state, scope and resource. */
    public URI authorizeUrl(Discovery discovery, Client client, Pkce pkce, String state, String scope) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", client.clientId());
        query.put("redirect_uri", client.redirectUri());
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        query.put("state", state);
        query.put("scope", scope);
        query.put("resource", discovery.resource());
        return URI.create(discovery.endpoint("authorization_endpoint") + "?" + form(query));
    }

    /** Steps 5 to 9 in the browser: authorize, consent, the upstream sign-in as {@code user}, the callback. Returns the redirect to the client. */
    public URI authorizeInBrowser(URI authorizeUrl, FakeUpstream upstream, CallerIdentity user) {
        HttpResponse<String> consentPage = get(authorizeUrl);
        assertThat(consentPage.statusCode()).as(consentPage.body()).isEqualTo(200);
        HttpResponse<String> toUpstream = submitConsent(consentPage, "allow");
        assertThat(toUpstream.statusCode()).isEqualTo(303);
        URI signIn = URI.create(toUpstream.headers().firstValue("Location").orElseThrow());
        Map<String, String> posted = upstream.signIn(signIn, user);
        HttpResponse<String> backToClient = postForm(server.resolve("/auth/callback"), posted);
        assertThat(backToClient.statusCode()).as(backToClient.body()).isEqualTo(303);
        return URI.create(backToClient.headers().firstValue("Location").orElseThrow());
    }

    /**
     * Posts the consent page's form as the browser would: same cookies, and the {@code Origin} a
     * browser derives from the page's {@code Referrer-Policy} ({@link #browserOrigin}), so that a
     * policy under which real browsers send {@code Origin: null} fails here too.
     */
    public HttpResponse<String> submitConsent(HttpResponse<String> consentPage, String decision) {
        Map<String, String> fields = hiddenFields(consentPage.body());
        fields.put("decision", decision);
        Matcher action = FORM_ACTION.matcher(consentPage.body());
        assertThat(action.find()).isTrue();
        URI target = consentPage.uri().resolve(action.group(1));
        return postForm(target, fields, "Origin", browserOrigin(consentPage, target));
    }

    /**
     * The {@code Origin} header a browser sends with a form {@code POST} from {@code page} to
     * {@code target} (Fetch standard, "append a request Origin header"): {@code null} under
     * {@code no-referrer}, and under {@code same-origin} for another origin; under the
     * {@code strict-origin} policies (the default is {@code strict-origin-when-cross-origin}),
     * {@code null} from an https page to a plain http target; otherwise the page's origin.
     */
    public static String browserOrigin(HttpResponse<?> page, URI target) {
        String origin = origin(page.uri());
        String policy = page.headers().firstValue("Referrer-Policy").map(value -> {
            String[] tokens = value.split(",");
            return tokens[tokens.length - 1].strip().toLowerCase(java.util.Locale.ROOT);
        }).orElse("strict-origin-when-cross-origin");
        return switch (policy) {
            case "no-referrer" -> "null";
            case "same-origin" -> origin.equals(origin(target)) ? origin : "null";
            case "no-referrer-when-downgrade", "strict-origin", "strict-origin-when-cross-origin" ->
                    "https".equals(page.uri().getScheme()) && !"https".equals(target.getScheme()) ? "null" : origin;
            default -> origin;
        };
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** Step 10: the code for tokens. */
    public HttpResponse<String> redeem(Discovery discovery, Client client, String code, Pkce pkce) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", client.redirectUri());
        form.put("code_verifier", pkce.verifier());
        form.put("client_id", client.clientId());
        form.put("resource", discovery.resource());
        return postForm(discovery.endpoint("token_endpoint"), form);
    }

    /** The whole flow for a new public client: discovery, registration, authorization, tokens. */
    public Tokens signIn(FakeUpstream upstream, CallerIdentity user, String scope) {
        Discovery discovery = discover();
        Client client = registerPublicClient(discovery);
        return signIn(discovery, client, upstream, user, scope);
    }

    /** The authorization and the tokens for an already registered client. */
    public Tokens signIn(Discovery discovery, Client client, FakeUpstream upstream, CallerIdentity user, String scope) {
        Pkce pkce = Pkce.fresh();
        URI back = authorizeInBrowser(authorizeUrl(discovery, client, pkce, "state-" + System.nanoTime(), scope), upstream, user);
        HttpResponse<String> tokens = redeem(discovery, client, query(back).get("code"), pkce);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        JsonNode body = json(tokens);
        return new Tokens(body.path("access_token").asText(), body.path("refresh_token").asText(null),
                body.path("scope").asText(), body);
    }

    public HttpResponse<String> refresh(Discovery discovery, Client client, String refreshToken) {
        return postForm(discovery.endpoint("token_endpoint"), Map.of("grant_type", "refresh_token",
                "refresh_token", refreshToken, "client_id", client.clientId()));
    }

    public HttpResponse<String> get(URI uri, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(20));
        withHeaders(request, headers);
        return send(request.build());
    }

    public HttpResponse<String> postJson(URI uri, String body) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A POST with any media type and body, exactly as given. */
    public HttpResponse<String> post(URI uri, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        withHeaders(request, headers);
        return send(request.build());
    }

    public HttpResponse<String> postForm(URI uri, Map<String, String> fields, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        withHeaders(request, headers);
        return send(request.build());
    }

    /** Forgets the browser's cookies (as another browser would have none). */
    public void clearCookies() {
        cookies.clear();
    }

    public Map<String, String> cookies() {
        return cookies;
    }

    private void withHeaders(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        HttpRequest.Builder withCookies = HttpRequest.newBuilder(request, (name, value) -> true);
        if (!cookies.isEmpty() && request.uri().getHost().equals(server.getHost())) {
            withCookies.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> response = http.send(withCookies.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).strip();
                String value = pair.substring(eq + 1).strip();
                if (value.isEmpty() || setCookie.toLowerCase(java.util.Locale.ROOT).matches(".*;\\s*max-age=0(;.*)?")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return query;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    /** The link an error page offers back to the client (for an https redirect URI), entities decoded. */
    public static URI returnLink(HttpResponse<String> page) {
        Matcher link = Pattern.compile("<a href=\"([^\"]+)\">").matcher(page.body());
        assertThat(link.find()).as(page.body()).isTrue();
        return URI.create(link.group(1).replace("&amp;", "&"));
    }

    public static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(html);
        while (hidden.find()) {
            fields.put(hidden.group(1), hidden.group(2));
        }
        return fields;
    }

    public static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
