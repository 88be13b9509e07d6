package dev.entramcp.app.remote;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where a test's MCP client publishes its Client ID Metadata Document: a loopback HTTPS server
 * with a self-signed {@code localhost} certificate made by the JDK's keytool at start.
 */
final class FacadeDocumentServer implements AutoCloseable {

    private final HttpsServer server;
    private final Path certificate;
    private final Map<String, String> documents = new ConcurrentHashMap<>();

    private FacadeDocumentServer(HttpsServer server, Path certificate) {
        this.server = server;
        this.certificate = certificate;
    }

    static FacadeDocumentServer start(Path directory) throws Exception {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path keystore = directory.resolve("client-documents.p12");
        Path certificate = directory.resolve("client-documents.pem");
        Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "documents", "-keyalg", "RSA", "-keysize", "2048", "-validity", "1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                store.getCertificate("documents").getEncoded()) + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        FacadeDocumentServer documents = new FacadeDocumentServer(server, certificate);
        server.createContext("/", exchange -> {
            String body = documents.documents.get(exchange.getRequestURI().getPath());
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return documents;
    }

    /** Publishes a public client's document at {@code path}; returns its URL, the client id. */
    String publish(String path, String clientName, String redirectUri) {
        String clientId = "https://localhost:" + server.getAddress().getPort() + path;
        documents.put(path, """
                {"client_id":"%s","client_name":"%s","redirect_uris":["%s"],
                 "grant_types":["authorization_code","refresh_token"],"token_endpoint_auth_method":"none"}"""
                .formatted(clientId, clientName, redirectUri));
        return clientId;
    }

    Path certificate() {
        return certificate;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
