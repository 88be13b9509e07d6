package dev.entramcp.adapter.http;

import dev.entramcp.adapter.http.support.McpTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A server terminating TLS itself ({@code micronaut.server.ssl.*}) with a certificate made at
 * test start by the JDK's keytool (nothing is committed), and also serving plain HTTP on another
 * port ({@code micronaut.server.dual-protocol}): the answers on TLS carry HSTS, the plain ones
 * never do.
 */
class StrictTransportSecurityTlsTest {

    @TempDir
    static Path directory;

    private static McpTestServer server;
    private static HttpClient trustingTheServer;
    private static int tlsPort;
    private static int plainPort;

    @BeforeAll
    static void startTlsServer() throws Exception {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path keystore = directory.resolve("server.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", store.getCertificate("server"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        trustingTheServer = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();

        tlsPort = freePort();
        plainPort = freePort();
        server = McpTestServer.start(Map.of(
                "micronaut.server.ssl.enabled", "true",
                "micronaut.server.ssl.port", tlsPort,
                "micronaut.server.port", plainPort,
                "micronaut.server.dual-protocol", "true",
                "micronaut.server.ssl.key-store.path", "file:" + keystore,
                "micronaut.server.ssl.key-store.password", password,
                "micronaut.server.ssl.key-store.type", "PKCS12"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void givenTls_theMetadataAndAChallenge_carryStrictTransportSecurity() throws Exception {
        HttpResponse<String> metadata = get(trustingTheServer, "https://localhost:" + tlsPort + "/.well-known/oauth-protected-resource/mcp");
        HttpResponse<String> challenge = get(trustingTheServer, "https://localhost:" + tlsPort + "/mcp");

        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(challenge.statusCode()).isEqualTo(401);
        assertThat(List.of(metadata, challenge)).allSatisfy(answer ->
                assertThat(answer.headers().allValues("Strict-Transport-Security")).containsExactly("max-age=31536000; includeSubDomains"));
    }

    @Test
    void givenTheSameServerOverPlainHttp_itsAnswers_neverCarryStrictTransportSecurity() throws Exception {
        HttpClient plain = HttpClient.newHttpClient();

        HttpResponse<String> metadata = get(plain, "http://localhost:" + plainPort + "/.well-known/oauth-protected-resource/mcp");
        HttpResponse<String> challenge = get(plain, "http://localhost:" + plainPort + "/mcp");

        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(challenge.statusCode()).isEqualTo(401);
        assertThat(List.of(metadata, challenge)).allSatisfy(answer ->
                assertThat(answer.headers().firstValue("Strict-Transport-Security")).isEmpty());
    }

    @Test
    void givenAClientThatDoesNotTrustTheCertificate_theTlsPort_refusesTheHandshake() {
        HttpClient defaultTrust = HttpClient.newHttpClient();

        assertThatExceptionOfType(SSLHandshakeException.class)
                .isThrownBy(() -> get(defaultTrust, "https://localhost:" + tlsPort + "/mcp"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
