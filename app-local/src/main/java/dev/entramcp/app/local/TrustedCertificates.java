package dev.entramcp.app.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust in exactly the certificates of a PEM file, and nothing else.
 *
 * <p><b>Decision: read the file now, build TLS on first use.</b> The file is read and parsed when
 * the server starts, so a missing or broken file stops it at once with a message naming the file.
 * The {@link SSLContext} (trust managers, JSSE's initialisation) is built the first time a
 * connection needs it: a server started with a warm token cache answers {@code initialize} and
 * {@code tools/list} without opening any connection, and an MCP client spawns it on demand, so
 * start-up time counts. (Measured in bench/README.md, "Findings".)
 */
final class TrustedCertificates {

    private final Path pem;
    private final List<Certificate> certificates;
    private volatile SSLContext sslContext;

    private TrustedCertificates(Path pem, List<Certificate> certificates) {
        this.pem = pem;
        this.certificates = certificates;
    }

    /**
     * Reads and parses the PEM file.
     *
     * @throws LocalConfiguration.ConfigurationException if it cannot be read or holds no certificate
     */
    static TrustedCertificates load(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            List<Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certificates.isEmpty()) {
                throw new LocalConfiguration.ConfigurationException("The trust file " + pem + " holds no PEM certificate.");
            }
            return new TrustedCertificates(pem, certificates);
        } catch (IOException e) {
            throw new LocalConfiguration.ConfigurationException("Cannot read the trust file " + pem + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new LocalConfiguration.ConfigurationException("The trust file " + pem + " is not a usable PEM certificate: " + e.getMessage());
        }
    }

    /** An SSLContext trusting these certificates only; built on the first call, then the same one. */
    SSLContext sslContext() {
        SSLContext built = sslContext;
        if (built == null) {
            synchronized (this) {
                built = sslContext;
                if (built == null) {
                    built = build();
                    sslContext = built;
                }
            }
        }
        return built;
    }

    /** A socket factory (for msal4j) that builds the SSLContext only when the first socket is made. */
    SSLSocketFactory lazySocketFactory() {
        return new LazySslSocketFactory(() -> sslContext().getSocketFactory());
    }

    /** Whether the SSLContext has been built yet. */
    boolean isBuilt() {
        return sslContext != null;
    }

    private SSLContext build() {
        try {
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
            throw new IllegalStateException("Cannot build TLS trust from " + pem + ": " + e.getMessage(), e);
        }
    }
}
