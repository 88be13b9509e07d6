package dev.entramcp.adapter.http.support;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain HTTP client (the JDK's) for the wire-level checks the SDK client hides: every status,
 * header and body as sent. Requests carry {@code Authorization: Bearer <token>} when given a
 * token, and nothing when the token is {@code null}.
 */
public final class RawMcp {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",\
            "capabilities":{},"clientInfo":{"name":"raw-test","version":"1.0"}}}""";
    public static final String INITIALIZED = """
            {"jsonrpc":"2.0","method":"notifications/initialized"}""";
    public static final String LIST_TOOLS = """
            {"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}""";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public RawMcp(URL serverUrl) {
        String url = serverUrl.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The server's URL followed by {@code path} exactly as given (even {@code //mcp} or {@code /%6Dcp}). */
    public URI uri(String path) {
        return URI.create(base + path);
    }

    /** A POST to {@code path} with the headers MCP clients send, replaced or completed by {@code headers} (name, value pairs). */
    public HttpResponse<String> post(String path, String token, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(request, token, headers);
    }

    public HttpResponse<String> delete(String path, String token, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).DELETE(), token, headers);
    }

    public HttpResponse<String> get(String path, String token, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET(), token, headers);
    }

    /**
     * Any method on any path, with nothing but {@code headers} (appended, so a name may repeat);
     * a POST carries the body {@code {}} as JSON. For the checks made before any MCP message is read.
     */
    public HttpResponse<String> request(String method, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                        : HttpRequest.BodyPublishers.noBody());
        if (method.equals("POST")) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request, null);
    }

    /** {@link #request} with {@code Authorization: Bearer <token>}. */
    public HttpResponse<String> withToken(String method, String path, String token) {
        return request(method, path, "Authorization", "Bearer " + token);
    }

    /** Opens a GET stream and returns it unread. */
    public HttpResponse<InputStream> openStream(String path, String token, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream").GET();
        add(request, token, headers);
        try {
            return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not open the stream", e);
        }
    }

    /** Starts a session with {@code token} and returns its id. */
    public String initialize(String token) {
        HttpResponse<String> response = post("/mcp", token, INITIALIZE);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String sessionId = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(post("/mcp", token, INITIALIZED, "Mcp-Session-Id", sessionId).statusCode()).isEqualTo(202);
        return sessionId;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token, String... headers) {
        add(request, token, headers);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void add(HttpRequest.Builder request, String token, String... headers) {
        if (token != null) {
            request.setHeader("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
    }

    /** A JSON object body as a map. */
    public static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return JSON.readValue(response.body(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** Polls until {@code attempt} gives a value matching {@code done}, or fails after {@code timeout}. */
    public static <T> T pollUntil(Duration timeout, Supplier<T> attempt, Predicate<T> done) {
        Instant deadline = Instant.now().plus(timeout);
        T last = attempt.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + timeout + "; last: " + last);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            last = attempt.get();
        }
        return last;
    }

    /** The {@code data:} payloads of the {@code message} events in an SSE body. */
    public static List<String> sseData(String body) {
        List<String> data = new ArrayList<>();
        Matcher matcher = Pattern.compile("(?m)^data: ?(.*)$").matcher(body);
        while (matcher.find()) {
            data.add(matcher.group(1));
        }
        return data;
    }

    /**
     * The lines of an SSE stream, read by a background thread so that a test can wait for a line
     * with a timeout and go on reading the same stream later.
     */
    public static final class SseLines implements AutoCloseable {
        private static final String END = "\u0000end";
        private final InputStream stream;
        private final java.util.concurrent.BlockingQueue<String> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        private boolean ended;

        public SseLines(InputStream stream) {
            this.stream = stream;
            Thread reader = new Thread(() -> {
                try {
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(stream, StandardCharsets.UTF_8));
                    String line;
                    while ((line = in.readLine()) != null) {
                        queue.add(line);
                    }
                } catch (IOException ignored) {
                    // the stream was closed
                }
                queue.add(END);
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** The lines read until one contains {@code needle}; fails if none does within {@code timeout}. */
        public List<String> until(String needle, Duration timeout) {
            List<String> lines = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line = poll(deadline);
                if (line == null || line.equals(END)) {
                    ended = line != null;
                    throw new AssertionError("no line containing '" + needle + "' within " + timeout + "; read " + lines);
                }
                lines.add(line);
                if (line.contains(needle)) {
                    return lines;
                }
            }
        }

        /** The lines read until the stream ends; fails if it has not ended within {@code timeout}. */
        public List<String> toEnd(Duration timeout) {
            List<String> lines = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!ended) {
                String line = poll(deadline);
                if (line == null) {
                    throw new AssertionError("the stream did not end within " + timeout + "; read " + lines);
                }
                if (line.equals(END)) {
                    ended = true;
                } else {
                    lines.add(line);
                }
            }
            return lines;
        }

        private String poll(long deadline) {
            try {
                return queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    /** Fails if a body looks like it carries a Java stack trace or exception name. */
    public static void assertNoStackTrace(String body) {
        assertThat(body).doesNotContain("\tat ", "Exception", "at dev.entramcp", "at io.", "at java.", ".java:");
    }
}
