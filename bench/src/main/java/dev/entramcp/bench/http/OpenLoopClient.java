package dev.entramcp.bench.http;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * H3: latency at a fixed rate, without coordinated omission.
 *
 * <pre>java -cp bench/target/remote-bench.jar dev.entramcp.bench.http.OpenLoopClient \
 *     --url URL --token-file F --session S --protocol-version V --expect TEXT --rate R --duration 60 \
 *     [--warmup 10] [--connections 16]</pre>
 *
 * <p>{@code --token-file} names a file with a {@code token=...} line (bench/run's wrk configuration),
 * so that the token does not appear on a command line.
 *
 * <p><b>Open loop.</b> Request {@code i} is due at {@code start + i / rate}, whether or not the
 * earlier ones were answered, and its latency is measured from when it was <em>due</em>, not from
 * when it was sent. A closed-loop tool (wrk, or any client that waits for an answer before sending
 * the next request) sends less when the server stalls and so records one slow request where users
 * would have seen many: coordinated omission. Here a stall shows in every request due during it.
 * (The model is wrk2's: a fixed set of keep-alive connections, {@code --connections}, takes the
 * due requests in order; a request waiting for a free connection is late, and that counts.)
 *
 * <p>Plain HTTP/1.1 on sockets, so that the client costs the two shared cores as little as it can.
 * Each answer must be 200 and contain the expected text without {@code "isError":true}; anything
 * else is counted, and any error makes the exit status 1. The warm-up runs at the same rate and is
 * not recorded. Prints one JSON object: rate, requests, errors, p50/p90/p99/p99.9/max in ms, and
 * how late the sender itself was.
 */
public final class OpenLoopClient {

    private OpenLoopClient() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : new String[] {"url", "token-file", "session", "protocol-version", "expect", "rate", "duration"}) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("missing --" + required);
            }
        }
        URI url = URI.create(options.get("url"));
        double rate = Double.parseDouble(options.get("rate"));
        Duration duration = Duration.ofSeconds(Long.parseLong(options.get("duration")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "10")));
        int connections = Integer.parseInt(options.getOrDefault("connections", "16"));
        byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\",\"arguments\":{}}}"
                .getBytes(StandardCharsets.UTF_8);
        String head = "POST " + url.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + url.getHost() + ":" + url.getPort() + "\r\n"
                + "Authorization: Bearer " + tokenFrom(Path.of(options.get("token-file"))) + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Accept: application/json, text/event-stream\r\n"
                + "Mcp-Session-Id: " + options.get("session") + "\r\n"
                + "MCP-Protocol-Version: " + options.get("protocol-version") + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(head.getBytes(StandardCharsets.US_ASCII));
        request.write(body);
        Target target = new Target(new InetSocketAddress(url.getHost(), url.getPort()), request.toByteArray(),
                options.get("expect").getBytes(StandardCharsets.UTF_8));

        run(target, rate, warmup, connections, null);
        Run measured = new Run();
        run(target, rate, duration, connections, measured);

        Histogram h = measured.latencies;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rate_per_s", rate);
        out.put("duration_s", duration.toSeconds());
        out.put("connections", connections);
        out.put("requests", h.getTotalCount() + measured.errors.get());
        out.put("errors", measured.errors.get());
        out.put("p50_ms", ms(h.getValueAtPercentile(50)));
        out.put("p90_ms", ms(h.getValueAtPercentile(90)));
        out.put("p99_ms", ms(h.getValueAtPercentile(99)));
        out.put("p999_ms", ms(h.getValueAtPercentile(99.9)));
        out.put("max_ms", ms(h.getMaxValue()));
        out.put("mean_ms", Double.parseDouble(String.format(Locale.ROOT, "%.3f", h.getMean() / 1e6)));
        out.put("sender_max_lag_ms", ms(measured.maxLag.get()));
        out.put("first_errors", String.join(" | ", measured.firstErrors));
        StringBuilder json = new StringBuilder("{");
        out.forEach((key, value) -> json.append(json.length() > 1 ? ", " : "").append('"').append(key).append("\": ")
                .append(value instanceof String text ? '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : value));
        System.out.println(json.append('}'));
        System.exit(measured.errors.get() == 0 ? 0 : 1);
    }

    /** Sends at {@code rate} for {@code duration} over {@code connections} keep-alive connections. */
    private static void run(Target target, double rate, Duration duration, int connections, Run into)
            throws InterruptedException {
        long period = (long) (TimeUnit.SECONDS.toNanos(1) / rate);
        long count = (long) (rate * duration.toSeconds());
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        AtomicLong next = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread worker = new Thread(() -> work(target, next, count, start, period, into), "open-loop-" + c);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    private static void work(Target target, AtomicLong next, long count, long start, long period, Run into) {
        Connection connection = null;
        long i;
        while ((i = next.getAndIncrement()) < count) {
            long due = start + i * period;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            if (into != null) {
                into.maxLag.accumulateAndGet(now - due, Math::max);
            }
            String failure;
            try {
                if (connection == null) {
                    connection = new Connection(target);
                }
                failure = connection.exchange();
            } catch (IOException | RuntimeException e) {
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (connection != null) {
                    connection.close();
                }
                connection = null;
            }
            long latency = System.nanoTime() - due;
            if (into == null) {
                continue;
            }
            if (failure != null) {
                into.error(failure);
            } else {
                into.latencies.recordValue(Math.min(latency, into.latencies.getHighestTrackableValue()));
            }
        }
        if (connection != null) {
            connection.close();
        }
    }

    private record Target(InetSocketAddress address, byte[] request, byte[] expect) {
    }

    /** One keep-alive HTTP/1.1 connection: writes the request, reads one whole response, checks it. */
    private static final class Connection {
        private static final byte[] IS_ERROR = "\"isError\":true".getBytes(StandardCharsets.US_ASCII);
        private final Target target;
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private boolean closeAfter;

        Connection(Target target) throws IOException {
            this.target = target;
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            socket.connect(target.address(), 5_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }

        /** Null when the answer is right; otherwise what was wrong. */
        String exchange() throws IOException {
            out.write(target.request());
            out.flush();
            String status = line();
            int code = status.length() >= 12 ? Integer.parseInt(status.substring(9, 12)) : -1;
            long length = -1;
            boolean chunked = false;
            closeAfter = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                String name = header.substring(0, Math.max(colon, 0)).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            byte[] body = chunked ? chunkedBody() : in.readNBytes((int) Math.max(0, length));
            if (closeAfter) {
                throw new IOException("the server closed the connection");
            }
            if (code != 200 || indexOf(body, target.expect()) < 0 || indexOf(body, IS_ERROR) >= 0) {
                String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
                return "HTTP " + code + " " + (text.length() > 160 ? text.substring(0, 160) + "..." : text);
            }
            return null;
        }

        private byte[] chunkedBody() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(n));
                line();
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new EOFException("the server closed the connection");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String tokenFrom(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> line.startsWith("token="))
                .map(line -> line.substring("token=".length())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no token= line in " + file));
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    /** What one measured run records. */
    private static final class Run {
        final Histogram latencies = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
        final AtomicLong errors = new AtomicLong();
        final AtomicLong maxLag = new AtomicLong();
        final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();

        void error(String what) {
            if (errors.incrementAndGet() <= 3) {
                firstErrors.add(what);
            }
        }
    }
}
