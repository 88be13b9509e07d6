package dev.entramcp.adapter.http.auth;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.entramcp.adapter.http.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A JWKS served over TLS with a self-signed certificate (as the emulator does in demo): fetched when
 * that certificate is configured as {@code entramcp.auth.jwks-trust-pem}, refused otherwise. The
 * certificate and its key are made at test start with the JDK's keytool (one run: the PEM is
 * written from the keystore in-process); nothing is committed.
 */
class HttpJwksFetcherTlsTest {

    @TempDir
    static Path directory;

    private static HttpsServer server;
    private static Path certificate;

    @BeforeAll
    static void startTlsJwks() throws Exception {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path keystore = directory.resolve("jwks.p12");
        certificate = directory.resolve("jwks.pem");
        keytool("-genkeypair", "-alias", "jwks", "-keyalg", "RSA", "-keysize", "2048", "-validity", "1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(store.getCertificate("jwks").getEncoded())
                + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, password.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        byte[] body = TestTokens.publicSet(TestTokens.TENANT_KEY).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static URI keysUri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/tenant/discovery/v2.0/keys");
    }

    @Test
    void givenTheSelfSignedCertificateAsTrustPem_fetch_readsTheKeys() throws IOException {
        HttpJwksFetcher fetcher = HttpJwksFetcher.create(keysUri(), Optional.of(certificate), Duration.ofSeconds(20));

        assertThat(fetcher.fetch().getKeyByKeyId("tenant-key-1")).isNotNull();
    }

    @Test
    void givenTheDefaultTrustStore_fetch_refusesTheSelfSignedCertificate() {
        HttpJwksFetcher fetcher = HttpJwksFetcher.create(keysUri(), Optional.empty(), Duration.ofSeconds(20));

        assertThatExceptionOfType(IOException.class).isThrownBy(fetcher::fetch);
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
