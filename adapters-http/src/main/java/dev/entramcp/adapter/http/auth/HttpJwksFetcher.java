package dev.entramcp.adapter.http.auth;

import com.nimbusds.jose.jwk.JWKSet;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.text.ParseException;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Fetches a JWKS over HTTP(S) with the JDK client: one GET, a time limit, a size limit, and no
 * redirects (a key set must come from the configured URL, not from wherever it points).
 *
 * <p>By default the JDK's trust store decides which TLS certificates to trust. A PEM file can
 * replace it, for a local identity provider with a self-signed certificate (the emulator in demo).
 */
public final class HttpJwksFetcher implements JwksFetcher {

    /** Entra's key set is a few kilobytes; anything much larger is not a key set. */
    public static final int MAX_BYTES = 256 * 1024;

    private final URI uri;
    private final HttpClient client;
    private final Duration timeout;

    public HttpJwksFetcher(URI uri, HttpClient client, Duration timeout) {
        this.uri = Objects.requireNonNull(uri, "'uri' must not be null");
        this.client = Objects.requireNonNull(client, "'client' must not be null");
        this.timeout = Objects.requireNonNull(timeout, "'timeout' must not be null");
    }

    /** A fetcher with its own client; {@code trustPem}, when given, is the only trust anchor for TLS. */
    public static HttpJwksFetcher create(URI uri, Optional<Path> trustPem, Duration timeout) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout);
        trustPem.ifPresent(path -> builder.sslContext(trusting(path)));
        return new HttpJwksFetcher(uri, builder.build(), timeout);
    }

    public URI uri() {
        return uri;
    }

    @Override
    public JWKSet fetch() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching the JWKS");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("JWKS endpoint answered HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("JWKS document is larger than " + MAX_BYTES + " bytes");
            }
            return JWKSet.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IOException("JWKS document is not a valid JWK set");
        }
    }

    private static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + pem);
            }
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                trustStore.setCertificateEntry("trusted-" + index++, certificate);
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read trusted certificates from " + pem + ": " + e.getMessage(), e);
        }
    }
}
