package dev.entramcp.adapter.entra;

import com.microsoft.aad.msal4j.HttpRequest;
import com.microsoft.aad.msal4j.HttpResponse;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.IHttpResponse;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTParser;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * msal4j's HTTP for tests: sends only to loopback (anything else is answered by a scripted
 * response or refused, never sent), records every request, can answer a request with a scripted
 * response (a faked Entra error, a fake managed identity endpoint), and adds Entra's
 * {@code client_info} to token responses that lack it (mock-oauth2-server does not send it, and
 * msal4j creates an account only from it; see STACK-NOTES).
 */
final class LoopbackHttpClient implements IHttpClient {

    private static final Set<String> RESTRICTED_HEADERS = Set.of("host", "connection", "content-length", "expect", "upgrade");

    /** One request as msal4j sent it. */
    record Sent(String method, URI url, Map<String, String> headers, String body) {
        Map<String, String> form() {
            Map<String, String> form = new LinkedHashMap<>();
            if (body == null || body.isBlank()) {
                return form;
            }
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                form.put(name, value);
            }
            return form;
        }

        boolean isTokenRequest() {
            return url.getPath().endsWith("/oauth2/v2.0/token");
        }

        String grantType() {
            return form().getOrDefault("grant_type", "");
        }
    }

    private record Script(Predicate<Sent> matches, int status, Map<String, List<String>> headers, String body) {
    }

    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .sslContext(LoopbackTls.get().clientContext())
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
            .build();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Script> scripts = new ConcurrentLinkedQueue<>();
    private final List<Script> standing = new CopyOnWriteArrayList<>();

    /** Answers the next request that matches with this response instead of sending it. */
    LoopbackHttpClient respondOnce(Predicate<Sent> matches, int status, Map<String, List<String>> headers, String body) {
        scripts.add(new Script(matches, status, headers, body));
        return this;
    }

    /** Answers every request that matches with this response instead of sending it. */
    LoopbackHttpClient respondAlways(Predicate<Sent> matches, int status, Map<String, List<String>> headers, String body) {
        standing.add(new Script(matches, status, headers, body));
        return this;
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    List<Sent> tokenRequests() {
        return sent.stream().filter(Sent::isTokenRequest).toList();
    }

    void clear() {
        sent.clear();
    }

    @Override
    public IHttpResponse send(HttpRequest request) throws Exception {
        Sent record = new Sent(request.httpMethod().name(), request.url().toURI(),
                request.headers() == null ? Map.of() : Map.copyOf(request.headers()), request.body());
        sent.add(record);
        Optional<Script> scripted = scripts.stream().filter(s -> s.matches().test(record)).findFirst();
        if (scripted.isPresent()) {
            scripts.remove(scripted.get());
            return response(scripted.get().status(), scripted.get().headers(), scripted.get().body());
        }
        Optional<Script> always = standing.stream().filter(s -> s.matches().test(record)).findFirst();
        if (always.isPresent()) {
            return response(always.get().status(), always.get().headers(), always.get().body());
        }
        String host = record.url().getHost();
        if (!"localhost".equals(host) && !"127.0.0.1".equals(host)) {
            throw new IOException("test HTTP client refuses to leave loopback: " + host);
        }
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(record.url()).timeout(Duration.ofSeconds(10));
        record.headers().forEach((name, value) -> {
            if (!RESTRICTED_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                builder.header(name, value);
            }
        });
        if ("POST".equals(record.method())) {
            builder.POST(java.net.http.HttpRequest.BodyPublishers.ofString(record.body() == null ? "" : record.body()));
        } else {
            builder.GET();
        }
        java.net.http.HttpResponse<String> answer = http.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        String body = answer.body();
        if (record.isTokenRequest() && answer.statusCode() == 200) {
            body = withClientInfo(body);
        }
        return response(answer.statusCode(), answer.headers().map(), body);
    }

    private static IHttpResponse response(int status, Map<String, List<String>> headers, String body) {
        HttpResponse response = new HttpResponse().statusCode(status).body(body);
        response.addHeaders(new LinkedHashMap<>(headers));
        return response;
    }

    /** Adds {@code client_info} = base64url({"uid": oid, "utid": tid}) from the ID token, as Entra sends it. */
    static String withClientInfo(String body) {
        try {
            Map<String, Object> json = JSONObjectUtils.parse(body);
            Object idToken = json.get("id_token");
            if (idToken == null || json.containsKey("client_info")) {
                return body;
            }
            var claims = JWTParser.parse((String) idToken).getJWTClaimsSet();
            Map<String, Object> clientInfo = new LinkedHashMap<>();
            clientInfo.put("uid", claims.getStringClaim("oid"));
            clientInfo.put("utid", claims.getStringClaim("tid"));
            json.put("client_info", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(JSONObjectUtils.toJSONString(clientInfo).getBytes(StandardCharsets.UTF_8)));
            return JSONObjectUtils.toJSONString(json);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add client_info", e);
        }
    }

    static Map<String, List<String>> headers(String... nameValues) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            headers.computeIfAbsent(nameValues[i], k -> new ArrayList<>()).add(nameValues[i + 1]);
        }
        headers.putIfAbsent("Content-Type", List.of("application/json"));
        return headers;
    }
}
