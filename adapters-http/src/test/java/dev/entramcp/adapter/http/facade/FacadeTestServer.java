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

    /** A facade server with {@code more} properties on top of the facade defaults, and a document server. */
    public static FacadeTestServer start(Map<String, Object> more) {
        return start(more, true);
    }

    /**
     * A facade server with {@code more} properties; {@code withDocuments} also starts the
     * metadata document server (a keytool run: a second or so).
     */
    public static FacadeTestServer start(Map<String, Object> more, boolean withDocuments) {
        try {
            Path directory = Files.createTempDirectory("facade-test");
            DocumentServer documents = withDocuments ? DocumentServer.start(directory) : null;
            int port = freePort();
            Map<String, Object> properties = new HashMap<>();
            properties.put("micronaut.server.port", port);
            properties.put("entramcp.http.public-base-url", "http://localhost:" + port);
            properties.put(FacadeProperties.ENABLED, "true");
            properties.put("entramcp.facade.cimd.allow-loopback", "true");
            if (documents != null) {
                properties.put("entramcp.facade.cimd.trust-pem", documents.certificate().toString());
            }
            properties.put("entramcp.auth.resource-name", "entra-mcp facade test");
            // Every test on a server comes from 127.0.0.1: limits per address would count them all together.
            // RequestLimitsHttpTest starts its own server with small limits.
            properties.put("entramcp.facade.limits.authorize-per-minute", 100_000);
            properties.put("entramcp.facade.limits.register-per-minute", 100_000);
            properties.put("entramcp.facade.limits.token-per-minute", 100_000);
            properties.put("entramcp.facade.registration.max-per-minute", 100_000);
            // Generous, so a slow TLS fetch on a loaded machine is not mistaken for a refusal; tests of the limit set their own.
            properties.put("entramcp.facade.cimd.fetch-timeout", "30s");
            properties.putAll(more);
            try {
                return new FacadeTestServer(McpTestServer.start(properties), documents, directory);
            } catch (RuntimeException startFailed) {
                if (documents != null) {
                    documents.close();
                }
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
        if (documents == null) {
            throw new IllegalStateException("this server was started without a document server");
        }
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
            if (documents != null) {
                documents.close();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
