package dev.entramcp.adapter.http.facade;

import dev.entramcp.adapter.http.support.McpTestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * This module's MCP server in authorization-server facade mode, on a loopback port, with
 * {@link FakeUpstream} in place of Entra and a loopback {@link DocumentServer} for Client ID
 * Metadata Documents (loopback allowed, its certificate trusted). Its public base URL is its real
 * loopback URL, so every link it hands out is one a test can follow.
 */
public final class FacadeTestServer implements AutoCloseable {

    private final McpTestServer server;
    private final DocumentServer documents;
    private final Path directory;

    private FacadeTestServer(McpTestServer server, DocumentServer documents, Path directory) {
        this.server = server;
        this.documents = documents;
        this.directory = directory;
    }

    /** A facade server with {@code more} properties on top of the facade defaults. */
    public static FacadeTestServer start(Map<String, Object> more) {
        try {
            Path directory = Files.createTempDirectory("facade-test");
            DocumentServer documents = DocumentServer.start(directory);
            int port = freePort();
            Map<String, Object> properties = new HashMap<>();
            properties.put("micronaut.server.port", port);
            properties.put("entramcp.http.public-base-url", "http://localhost:" + port);
            properties.put(FacadeProperties.ENABLED, "true");
            properties.put("entramcp.facade.cimd.allow-loopback", "true");
            properties.put("entramcp.facade.cimd.trust-pem", documents.certificate().toString());
            properties.put("entramcp.auth.resource-name", "entra-mcp facade test");
            properties.putAll(more);
            try {
                return new FacadeTestServer(McpTestServer.start(properties), documents, directory);
            } catch (RuntimeException startFailed) {
                documents.close();
                throw startFailed;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public URI url() {
        String url = server.url().toString();
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    /** The issuer: {@code http://localhost:PORT}. */
    public String issuer() {
        return "http://localhost:" + server.port();
    }

    public McpTestServer mcp() {
        return server;
    }

    public FakeUpstream upstream() {
        return server.bean(FakeUpstream.class);
    }

    public DocumentServer documents() {
        return documents;
    }

    public <T> T bean(Class<T> type) {
        return server.bean(type);
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            documents.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
