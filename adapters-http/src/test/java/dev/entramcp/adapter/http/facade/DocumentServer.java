package dev.entramcp.adapter.http.facade;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTPS server for Client ID Metadata Documents, with a self-signed certificate for
 * {@code localhost} made at start with the JDK's keytool (nothing committed). Each path answers
 * what the test says: a document, a redirect, an oversized body... It counts the requests per
 * path, and can hold a path's answer until a test releases it.
 */
public final class DocumentServer implements AutoCloseable {

    /** One scripted answer. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        public static Answer json(String body) {
            return new Answer(200, Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpsServer server;
    private final Path certificate;
    private final SSLContext clientTls;
    private final SSLContext serverTls;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> firstRequests = new ConcurrentHashMap<>();

    private DocumentServer(HttpsServer server, Path certificate, SSLContext clientTls, SSLContext serverTls) {
        this.server = server;
        this.certificate = certificate;
        this.clientTls = clientTls;
        this.serverTls = serverTls;
    }

    public static DocumentServer start(Path directory) throws Exception {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path keystore = directory.resolve("documents.p12");
        Path certificate = directory.resolve("documents.pem");
        keytool("-genkeypair", "-alias", "documents", "-keyalg", "RSA", "-keysize", "2048", "-validity", "1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                store.getCertificate("documents").getEncoded())
                + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, password.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);

        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("documents", store.getCertificate("documents"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trustManagers.getTrustManagers(), null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        DocumentServer documents = new DocumentServer(server, certificate, clientTls, tls);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "document-server");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            documents.requests.computeIfAbsent(path, key -> new AtomicInteger()).incrementAndGet();
            documents.firstRequests.computeIfAbsent(path, key -> new CountDownLatch(1)).countDown();
            CountDownLatch hold = documents.holds.get(path);
            if (hold != null) {
                try {
                    hold.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Answer answer = documents.answers.getOrDefault(path, new Answer(404, Map.of(), new byte[0]));
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        });
        server.start();
        return documents;
    }

    /** What {@code path} answers from now on. */
    public DocumentServer serve(String path, Answer answer) {
        answers.put(path, answer);
        return this;
    }

    /** {@code path} answers only once {@code release} is counted down (or after 20 s). */
    public DocumentServer holdUntil(String path, CountDownLatch release) {
        holds.put(path, release);
        return this;
    }

    /** Waits until {@code path} has received a request; whether it has, within {@code seconds}. */
    public boolean awaitRequest(String path, long seconds) throws InterruptedException {
        return firstRequests.computeIfAbsent(path, key -> new CountDownLatch(1)).await(seconds, TimeUnit.SECONDS);
    }

    /** How many requests {@code path} has received. */
    public int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    /** {@code https://localhost:PORT/path}. */
    public String url(String path) {
        return "https://localhost:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The PEM of the self-signed certificate. */
    public Path certificate() {
        return certificate;
    }

    /** A TLS context that trusts exactly this server. */
    public SSLContext clientTls() {
        return clientTls;
    }

    /**
     * The server side of this server's certificate, for a test that must write an answer the JDK's
     * server will not (a {@code Content-Length} of {@code -1}) on a raw TLS socket.
     */
    public SSLContext serverTls() {
        return serverTls;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void keytool(String... arguments) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
