package dev.entramcp.adapter.http.transport.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A plain HTTP client for the wire-level checks the SDK client hides (status, headers, bodies). */
public final class RawMcp {

    public static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",\
            "capabilities":{},"clientInfo":{"name":"raw-test","version":"1.0"}}}""";
    public static final String INITIALIZED = """
            {"jsonrpc":"2.0","method":"notifications/initialized"}""";
    public static final String LIST_TOOLS = """
            {"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}""";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public RawMcp(URL serverUrl) {
        this.base = URI.create(serverUrl.toString());
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    /** A POST to {@code path} with the headers MCP clients send, plus {@code headers} (name, value pairs). */
    public HttpResponse<String> post(String path, String caller, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(request, caller, headers);
    }

    public HttpResponse<String> delete(String path, String caller, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).DELETE(), caller, headers);
    }

    public HttpResponse<String> get(String path, String caller, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET(), caller, headers);
    }

    /** Opens a GET stream and returns it unread. */
    public HttpResponse<InputStream> openStream(String path, String caller, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream").GET();
        add(request, caller, headers);
        try {
            return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not open the stream", e);
        }
    }

    /** Starts a session for {@code caller} and returns its id. */
    public String initialize(String caller) {
        HttpResponse<String> response = post("/mcp", caller, INITIALIZE);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String sessionId = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(post("/mcp", caller, INITIALIZED, "Mcp-Session-Id", sessionId).statusCode()).isEqualTo(202);
        return sessionId;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String caller, String... headers) {
        add(request, caller, headers);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("request failed", e);
        }
    }

    private static void add(HttpRequest.Builder request, String caller, String... headers) {
        if (caller != null) {
            request.header(TestCallerFilter.CALLER_HEADER, caller);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
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
