package dev.entramcp.adapter.stdio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw line-level MCP client over in-memory pipes: it writes exactly the bytes a test wants
 * (including malformed ones) and parses every line the server writes, failing on anything that
 * is not JSON, so a stray log line on stdout cannot go unnoticed.
 */
final class StdioTestClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final PipedInputStream serverIn = new PipedInputStream(1 << 20);
    final PipedOutputStream serverOut = new PipedOutputStream();
    private final OutputStream toServer;
    private final BlockingQueue<JsonNode> responses = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> requestsFromServer = new LinkedBlockingQueue<>();
    final List<JsonNode> notifications = new CopyOnWriteArrayList<>();
    final List<String> nonJsonLines = new CopyOnWriteArrayList<>();

    StdioTestClient() {
        try {
            toServer = new PipedOutputStream(serverIn);
            PipedInputStream fromServer = new PipedInputStream(serverOut, 1 << 20);
            Thread reader = new Thread(() -> readAll(fromServer), "test-client-reader");
            reader.setDaemon(true);
            reader.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readAll(PipedInputStream fromServer) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException notJson) {
                    nonJsonLines.add(line);
                    continue;
                }
                if (node.has("method") && node.has("id")) {
                    requestsFromServer.add(node);
                } else if (node.has("method")) {
                    notifications.add(node);
                } else {
                    responses.add(node);
                }
            }
        } catch (IOException closed) {
            // the server closed its end
        }
    }

    void sendLine(String line) {
        try {
            toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            toServer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode request(int id, String method, String paramsJson) {
        sendLine("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}");
        return nextResponse();
    }

    void initialize(String capabilitiesJson) {
        JsonNode result = request(0, "initialize", "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":" + capabilitiesJson
                + ",\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}");
        if (!result.has("result")) {
            throw new AssertionError("initialize failed: " + result);
        }
        sendLine("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    JsonNode nextResponse() {
        return poll(responses, "a response");
    }

    JsonNode nextRequestFromServer() {
        return poll(requestsFromServer, "a request from the server");
    }

    JsonNode awaitNotification(String method, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode notification : notifications) {
                if (method.equals(notification.path("method").asText())) {
                    return notification;
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no " + method + " notification within " + timeout + "; got " + notifications);
    }

    void closeStdin() {
        try {
            toServer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode poll(BlockingQueue<JsonNode> queue, String what) {
        try {
            JsonNode node = queue.poll(10, TimeUnit.SECONDS);
            if (node == null) {
                throw new AssertionError("no " + what + " within 10 s");
            }
            return node;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        closeStdin();
    }
}
