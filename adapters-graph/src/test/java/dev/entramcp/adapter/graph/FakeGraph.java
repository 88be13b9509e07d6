package dev.entramcp.adapter.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.entramcp.domain.model.EmailAddress;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.model.PrincipalId;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A small Microsoft Graph on loopback, for the adapter's tests: {@code GET /v1.0/me} (honouring
 * {@code $select}), {@code POST /v1.0/me/sendMail} into an outbox and {@code GET /v1.0/me/memberOf}
 * (honouring {@code $select} and {@code $top}, with an {@code @odata.nextLink} when more remain), each checking the bearer
 * token it issued and the permission the token carries, answering errors in Graph's shape
 * ({@code {"error":{"code":…,"message":…,"innerError":{…}}}} plus a {@code request-id} header).
 *
 * <p>Tests can script the next answers of a path (429 with {@code Retry-After}, 5xx, a hang, a
 * dropped connection, or "do the work, then fail"), and read every request it received.
 */
final class FakeGraph implements AutoCloseable {

    /** A request as received. Header names are lower case. */
    record Recorded(String method, String path, String rawQuery, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** What the fake does for one scripted request. */
    sealed interface Reply {
        /** Answer this status, with Graph's error shape for {@code code} (or an empty body if null). */
        record Answer(int status, String code, Map<String, String> headers, String rawBody) implements Reply {
        }

        /** Do what the request asks (deliver the mail), then answer {@code status} anyway. */
        record ProcessThenAnswer(int status) implements Reply {
        }

        /** Never answer; the connection stays open until the fake is closed. */
        record Hang() implements Reply {
        }

        /** Close the connection without answering. */
        record Drop() implements Reply {
        }

        /** Send a 200 and the first bytes of a body, then nothing more until the fake is closed. */
        record StallBody() implements Reply {
        }

        static Reply throttled(String retryAfter) {
            return new Answer(429, "TooManyRequests", retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter), null);
        }

        static Reply unavailable(String retryAfter) {
            return new Answer(503, "serviceNotAvailable", retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter), null);
        }

        static Reply error(int status, String code) {
            return new Answer(status, code, Map.of(), null);
        }

        static Reply raw(int status, String body) {
            return new Answer(status, null, Map.of("Content-Type", "application/json"), body);
        }
    }

    private record Grant(PrincipalId user, Set<String> permissions) {
    }

    /** Said in every error message the fake sends, so tests can prove messages never echo bodies. */
    static final String BODY_MARKER = "graph-error-body-marker";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();
    private final Map<PrincipalId, Map<String, Object>> users = new ConcurrentHashMap<>();
    private final Map<PrincipalId, List<Map<String, Object>>> memberships = new ConcurrentHashMap<>();
    private final Set<PrincipalId> revoked = ConcurrentHashMap.newKeySet();
    private final Map<PrincipalId, List<MailMessage>> outbox = new ConcurrentHashMap<>();
    private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Reply> persistent = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private int requestCounter;

    private FakeGraph(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Plain http on 127.0.0.1, an ephemeral port. */
    static FakeGraph start() {
        try {
            return new FakeGraph(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** https on 127.0.0.1 with the server side of {@code tls}. */
    static FakeGraph startTls(SSLContext tls) {
        try {
            HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            return new FakeGraph(https);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL the adapter is given: {@code http(s)://127.0.0.1:PORT/v1.0}. */
    URI baseUrl() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        String host = server instanceof HttpsServer ? "localhost" : "127.0.0.1";
        return URI.create(scheme + "://" + host + ":" + server.getAddress().getPort() + "/v1.0");
    }

    /** Adds a user whose {@code /me} is {@code profile} (Graph's field names; null values are sent as JSON null). */
    FakeGraph withUser(PrincipalId user, Map<String, Object> profile) {
        users.put(user, new LinkedHashMap<>(profile));
        return this;
    }

    /**
     * Makes {@code user} a direct member of these directory objects, in this order: Graph's field names, each
     * with its {@code @odata.type} ({@code #microsoft.graph.group}, {@code #microsoft.graph.directoryRole}, ...).
     */
    FakeGraph withMemberships(PrincipalId user, List<Map<String, Object>> objects) {
        memberships.put(user, List.copyOf(objects));
        return this;
    }

    /** Issues a fresh opaque token for {@code user} carrying the bare Graph {@code permissions}. */
    String issueToken(PrincipalId user, Set<String> permissions) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String token = "graph." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.put(token, new Grant(user, Set.copyOf(permissions)));
        return token;
    }

    /** From now on, this one token is refused with 401 (a session ended before the token expired). */
    void rejectToken(String token) {
        tokens.remove(token);
    }

    /** From now on, every token of {@code user} is refused with 401. */
    void revoke(PrincipalId user) {
        revoked.add(user);
    }

    /** The next requests to {@code path} (such as {@code /me}) get these replies, in order. */
    void script(String path, Reply... replies) {
        scripts.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>()).addAll(List.of(replies));
    }

    /** Every request to {@code path} gets {@code reply}, until {@link #clearScripts()}. */
    void scriptAlways(String path, Reply reply) {
        persistent.put(path, reply);
    }

    void clearScripts() {
        scripts.clear();
        persistent.clear();
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    List<Recorded> requestsTo(String path) {
        return requests.stream().filter(r -> r.path().equals("/v1.0" + path)).toList();
    }

    List<MailMessage> outboxOf(PrincipalId user) {
        return List.copyOf(outbox.getOrDefault(user, List.of()));
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            Recorded request = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, new String(body, StandardCharsets.UTF_8));
            requests.add(request);

            String path = request.path().startsWith("/v1.0") ? request.path().substring("/v1.0".length()) : request.path();
            Deque<Reply> queue = scripts.get(path);
            Reply scripted = queue == null ? null : queue.poll();
            if (scripted == null) {
                scripted = persistent.get(path);
            }
            if (scripted instanceof Reply.Answer answer) {
                send(exchange, answer.status(), answer.headers(),
                        answer.rawBody() != null ? answer.rawBody() : answer.code() == null ? "" : errorBody(answer.code()));
                return;
            }
            if (scripted instanceof Reply.Hang) {
                awaitClose();
                return;
            }
            if (scripted instanceof Reply.StallBody) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 1000);
                OutputStream out = exchange.getResponseBody();
                out.write("{\"id\":".getBytes(StandardCharsets.UTF_8));
                out.flush();
                awaitClose();
                return;
            }
            if (scripted instanceof Reply.Drop) {
                return; // closing the exchange without a status line drops the connection
            }
            Answer normal = serve(path, request);
            if (scripted instanceof Reply.ProcessThenAnswer failAfter) {
                send(exchange, failAfter.status(), Map.of(), errorBody("generalException"));
                return;
            }
            send(exchange, normal.status, normal.headers, normal.body);
        } catch (RuntimeException e) {
            // A bug in the fake must be visible: answer 599, which no adapter rule expects.
            send(exchange, 599, Map.of(), "");
        }
    }

    private record Answer(int status, Map<String, String> headers, String body) {
    }

    private Answer serve(String path, Recorded request) {
        String authorization = request.header("Authorization");
        Grant grant = authorization != null && authorization.startsWith("Bearer ")
                ? tokens.get(authorization.substring("Bearer ".length())) : null;
        if (grant == null || revoked.contains(grant.user())) {
            return error(401, "InvalidAuthenticationToken");
        }
        if (path.equals("/me") && request.method().equals("GET")) {
            if (!grant.permissions().contains("User.Read")) {
                return error(403, "Authorization_RequestDenied");
            }
            return me(grant.user(), request.rawQuery());
        }
        if (path.equals("/me/memberOf") && request.method().equals("GET")) {
            if (!grant.permissions().contains("GroupMember.Read.All")) {
                return error(403, "Authorization_RequestDenied");
            }
            return memberOf(grant.user(), request.rawQuery());
        }
        if (path.equals("/me/sendMail") && request.method().equals("POST")) {
            if (!grant.permissions().contains("Mail.Send")) {
                return error(403, "ErrorAccessDenied");
            }
            return sendMail(grant.user(), request);
        }
        return error(404, "Request_ResourceNotFound");
    }

    private Answer me(PrincipalId user, String rawQuery) {
        Map<String, Object> profile = users.get(user);
        if (profile == null) {
            return error(404, "Request_ResourceNotFound");
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users/$entity");
        String select = rawQuery == null ? null : java.util.Arrays.stream(rawQuery.split("&"))
                .filter(part -> part.startsWith("$select=")).map(part -> part.substring("$select=".length()))
                .findFirst().orElse(null);
        List<String> fields = select == null
                ? List.of("id", "displayName", "userPrincipalName", "mail", "jobTitle", "officeLocation", "businessPhones")
                : List.of(select.split(","));
        for (String field : fields) {
            answer.set(field, JSON.valueToTree(profile.get(field)));
        }
        return json(200, answer.toString());
    }

    private Answer memberOf(PrincipalId user, String rawQuery) {
        List<Map<String, Object>> objects = memberships.get(user);
        if (objects == null) {
            return error(404, "Request_ResourceNotFound");
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String part : rawQuery.split("&")) {
                int eq = part.indexOf('=');
                query.put(eq < 0 ? part : part.substring(0, eq), eq < 0 ? "" : part.substring(eq + 1));
            }
        }
        int top = query.containsKey("$top") ? Integer.parseInt(query.get("$top")) : 100;
        List<String> fields = query.containsKey("$select") ? List.of(query.get("$select").split(",")) : null;
        ObjectNode answer = JSON.createObjectNode();
        answer.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#directoryObjects");
        if (objects.size() > top) {
            answer.put("@odata.nextLink", "https://graph.microsoft.com/v1.0/me/memberOf?$top=" + top + "&$skiptoken=RFNwdAIAAQAAAA");
        }
        var value = answer.putArray("value");
        for (Map<String, Object> object : objects.subList(0, Math.min(top, objects.size()))) {
            ObjectNode entry = value.addObject();
            entry.put("@odata.type", (String) object.get("@odata.type"));
            for (Map.Entry<String, Object> field : object.entrySet()) {
                if (!field.getKey().equals("@odata.type") && (fields == null || fields.contains(field.getKey()))) {
                    entry.set(field.getKey(), JSON.valueToTree(field.getValue()));
                }
            }
        }
        return json(200, answer.toString());
    }

    private Answer sendMail(PrincipalId user, Recorded request) {
        if (!"application/json".equals(request.header("Content-Type"))) {
            return error(415, "UnsupportedMediaType");
        }
        JsonNode root;
        try {
            root = JSON.readTree(request.body());
        } catch (IOException e) {
            return error(400, "ErrorInvalidRequest");
        }
        JsonNode message = root.path("message");
        JsonNode body = message.path("body");
        if (!message.path("subject").isTextual() || !"Text".equals(body.path("contentType").asText())
                || !body.path("content").isTextual() || !root.path("saveToSentItems").isBoolean()
                || !message.path("toRecipients").isArray() || message.path("toRecipients").isEmpty()) {
            return error(400, "ErrorInvalidRequest");
        }
        List<EmailAddress> to = new ArrayList<>();
        for (JsonNode recipient : message.path("toRecipients")) {
            JsonNode address = recipient.path("emailAddress").path("address");
            if (!address.isTextual()) {
                return error(400, "ErrorInvalidRecipients");
            }
            to.add(EmailAddress.of(address.asText()));
        }
        outbox.computeIfAbsent(user, u -> new CopyOnWriteArrayList<>())
                .add(new MailMessage(to, message.path("subject").asText(), body.path("content").asText()));
        return new Answer(202, Map.of(), "");
    }

    private synchronized String nextRequestId() {
        requestCounter++;
        return String.format("00000000-0000-0000-0000-%012d", requestCounter);
    }

    private Answer error(int status, String code) {
        return json(status, errorBody(code));
    }

    private Answer json(int status, String body) {
        return new Answer(status, Map.of("Content-Type", "application/json"), body);
    }

    private String errorBody(String code) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", "Fake Graph says no (" + BODY_MARKER + ").");
        ObjectNode inner = error.putObject("innerError");
        inner.put("date", "2026-01-15T10:00:00");
        inner.put("request-id", "inner-" + BODY_MARKER);
        return root.toString();
    }

    private void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        if (status >= 400) {
            exchange.getResponseHeaders().add("request-id", nextRequestId());
            if (!headers.containsKey("Content-Type")) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void awaitClose() {
        try {
            closed.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
