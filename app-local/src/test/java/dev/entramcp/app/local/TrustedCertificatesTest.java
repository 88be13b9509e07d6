package dev.entramcp.app.local;

import dev.entramcp.emulator.EntraEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The trust of {@code --trust-pem}: the file is checked at start, TLS is built on the first connection. */
class TrustedCertificatesTest {

    private static EntraEmulator emulator;
    private static EntraEmulator otherEmulator;

    @TempDir
    Path dir;

    @BeforeAll
    static void startEmulators() {
        emulator = EntraEmulator.start();
        otherEmulator = EntraEmulator.start(); // its own self-signed certificate
    }

    @AfterAll
    static void stopEmulators() {
        emulator.close();
        otherEmulator.close();
    }

    @Test
    void givenAFileWithoutCertificates_load_failsAtOnceNamingTheFile() throws IOException {
        Path pem = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");

        assertThatExceptionOfType(LocalConfiguration.ConfigurationException.class)
                .isThrownBy(() -> TrustedCertificates.load(pem))
                .withMessageContaining(pem.toString());
    }

    @Test
    void givenAMissingFile_load_failsAtOnce() {
        Path pem = dir.resolve("missing.pem");

        assertThatExceptionOfType(LocalConfiguration.ConfigurationException.class)
                .isThrownBy(() -> TrustedCertificates.load(pem))
                .withMessageContaining("Cannot read the trust file " + pem);
    }

    @Test
    void givenAValidFile_load_buildsNoTls_andTheFirstConnectionTrustsItsCertificate() throws IOException {
        TrustedCertificates trust = TrustedCertificates.load(emulator.trustPem());
        boolean builtAtLoad = trust.isBuilt();

        int status = get(new URL(emulator.openIdConfigurationUri().toString()), trust);

        assertThat(builtAtLoad).isFalse();
        assertThat(status).isEqualTo(200);
        assertThat(trust.isBuilt()).isTrue();
    }

    @Test
    void givenTheCertificateOfAnotherServer_theLazyFactory_refusesTheConnection() {
        TrustedCertificates trust = TrustedCertificates.load(otherEmulator.trustPem());

        assertThatExceptionOfType(SSLHandshakeException.class)
                .isThrownBy(() -> get(new URL(emulator.openIdConfigurationUri().toString()), trust));
    }

    private static int get(URL url, TrustedCertificates trust) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) url.openConnection();
        connection.setSSLSocketFactory(trust.lazySocketFactory());
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }
}
