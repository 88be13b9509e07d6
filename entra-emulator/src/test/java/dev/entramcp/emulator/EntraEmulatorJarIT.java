package dev.entramcp.emulator;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar, as a script runs it: {@code java -jar target/entra-emulator.jar --port 0} prints one JSON
 * line on stdout; trusting the PEM it names, discovery, the JWKS and a client-credentials token work over TLS,
 * and the token verifies against the JWKS. Proves the shaded jar has its main class and nimbus inside.
 */
class EntraEmulatorJarIT {

    @Test
    @SuppressWarnings("unchecked")
    void givenTheJar_aScript_readsItsJsonLineAndGetsAVerifiableTokenOverTrustedTls() throws Exception {
        Path stderr = Files.createTempFile("entra-emulator-jar", ".err");
        Process emulator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("entraEmulatorJar"), "--port", "0")
                .redirectError(stderr.toFile()).start();
        try {
            Map<String, Object> description = JSONObjectUtils.parse(firstLine(emulator.getInputStream()));
            HttpClient http = HttpClient.newBuilder()
                    .sslContext(trusting(Path.of((String) description.get("trustPem"))))
                    .connectTimeout(Duration.ofSeconds(5)).build();

            Map<String, Object> discovery = getJson(http, description.get("authority")
                    + "/v2.0/.well-known/openid-configuration");
            JWKSet jwks = JWKSet.parse(get(http, (String) discovery.get("jwks_uri")).body());
            Map<String, Object> remote = (Map<String, Object>) ((Map<String, Object>) description.get("apps")).get("remote");
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create((String) discovery.get("token_endpoint")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "client_credentials",
                            "client_id", (String) remote.get("clientId"),
                            "client_secret", (String) remote.get("clientSecret"),
                            "scope", EntraEmulator.GRAPH_RESOURCE + "/.default"))))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(discovery).containsEntry("issuer", description.get("issuer"));
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            SignedJWT jwt = SignedJWT.parse((String) JSONObjectUtils.parse(token.body()).get("access_token"));
            RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
            assertThat(key).as("the token's kid is in the served JWKS").isNotNull();
            assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
            assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(description.get("issuer"));
            assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(EntraEmulator.GRAPH_APP_ID);
        } finally {
            emulator.destroy();
            if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
                emulator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertThat(Files.readString(stderr)).contains(EntraEmulator.WARNING);
        Files.deleteIfExists(stderr);
    }

    /** The first line of stdout, within 30 seconds (the emulator starts in well under one). */
    private static String firstLine(InputStream stdout) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(30, TimeUnit.SECONDS);
        assertThat(line).as("the JSON line on stdout").isNotNull();
        return line;
    }

    private static SSLContext trusting(Path pem) throws Exception {
        CertificateFactory certificates = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("entra-emulator", (X509Certificate) certificates.generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return response;
    }

    private static Map<String, Object> getJson(HttpClient http, String url) throws Exception {
        return JSONObjectUtils.parse(get(http, url).body());
    }

    private static String form(Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString();
    }
}
