package dev.entramcp.emulator;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The emulator's TLS identity, made fresh at every start and never written anywhere except the public
 * certificate: an EC P-256 key and a self-signed certificate for {@code localhost}, {@code 127.0.0.1} and
 * {@code ::1}. msal4j refuses http authorities, so a loopback identity provider needs real TLS.
 *
 * <p>The JDK's own providers generate the key, sign the certificate (see {@link SelfSignedCertificate}) and run
 * TLS.
 */
final class TlsMaterial {

    private static final Duration VALIDITY = Duration.ofDays(30);

    private final X509Certificate certificate;
    private final SSLContext serverContext;
    private final SSLContext clientContext;

    private TlsMaterial(X509Certificate certificate, SSLContext serverContext, SSLContext clientContext) {
        this.certificate = certificate;
        this.serverContext = serverContext;
        this.clientContext = clientContext;
    }

    static TlsMaterial generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keyPair = generator.generateKeyPair();
            Instant now = Instant.now();
            X509Certificate certificate = SelfSignedCertificate.create(keyPair, now.minus(Duration.ofMinutes(5)),
                    now.plus(VALIDITY));

            char[] password = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("entra-emulator", keyPair.getPrivate(), password, new Certificate[] {certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);

            return new TlsMaterial(certificate, server, trusting(certificate));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create the emulator's TLS certificate", e);
        }
    }

    /** An SSL context that trusts this certificate and nothing else. */
    static SSLContext trusting(X509Certificate certificate) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("entra-emulator", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        return client;
    }

    X509Certificate certificate() {
        return certificate;
    }

    SSLContext serverContext() {
        return serverContext;
    }

    SSLContext clientContext() {
        return clientContext;
    }

    /** The certificate in PEM, the format curl ({@code --cacert}), Node and Micronaut clients read. */
    String pem() {
        try {
            String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the emulator's certificate", e);
        }
    }

    Path writePem() {
        try {
            Path file = Files.createTempFile("entra-emulator-", ".pem");
            Files.writeString(file, pem(), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the emulator's certificate", e);
        }
    }
}
