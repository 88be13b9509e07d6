package dev.entramcp.app.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Talks to the server process byte for byte, and keeps every line it writes to stdout, so a test
 * can assert that stdout carries nothing but JSON-RPC.
 */
final class RawStdio implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final OutputStream stdin;
    private final BufferedReader stdout;
    final List<String> lines = new CopyOnWriteArrayList<>();

    RawStdio(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    void send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a request and reads lines until its response, keeping every line read. */
    JsonNode request(int id, String method, String params) {
        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}");
        return responseTo(id);
    }

    JsonNode responseTo(Object id) {
        try {
            String line;
            while ((line = stdout.readLine()) != null) {
                lines.add(line);
                JsonNode node = JSON.readTree(line);
                if (node.has("id") && node.get("id").asText().equals(String.valueOf(id)) && !node.has("method")) {
                    return node;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("the server closed stdout before answering " + id);
    }

    void initialize() {
        request(1, "initialize", "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}");
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    /** Closes stdin and reads what is left of stdout. */
    List<String> finish() {
        try {
            stdin.close();
            String line;
            while ((line = stdout.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
