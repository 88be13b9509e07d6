package dev.entramcp.emulator;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
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
    private SSLContext clientContext;

    private TlsMaterial(X509Certificate certificate, SSLContext serverContext) {
        this.certificate = certificate;
        this.serverContext = serverContext;
    }

    static TlsMaterial generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keyPair = generator.generateKeyPair();
            Instant now = Instant.now();
            X509Certificate certificate = SelfSignedCertificate.create(keyPair, now.minus(Duration.ofMinutes(5)),
                    now.plus(VALIDITY));

            // A key manager holding the one key directly: a PKCS12 key store would first encrypt the key with
            // 10,000 rounds of PBKDF2, only for the key manager factory to decrypt it again.
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(new KeyManager[] {new SingleKeyManager(keyPair.getPrivate(), certificate)}, null, null);
            return new TlsMaterial(certificate, server);
        } catch (GeneralSecurityException e) {
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

    /** Made on first use: the server itself never needs it. */
    synchronized SSLContext clientContext() {
        if (clientContext == null) {
            try {
                clientContext = trusting(certificate);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot build a context trusting the emulator", e);
            }
        }
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

    /** The server's key manager: one key, one certificate, chosen whatever the client asks for. */
    private static final class SingleKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "entra-emulator";
        private final PrivateKey key;
        private final X509Certificate certificate;

        SingleKeyManager(PrivateKey key, X509Certificate certificate) {
            this.key = key;
            this.certificate = certificate;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return "EC".equals(keyType) ? ALIAS : null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return "EC".equals(keyType) ? ALIAS : null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? new X509Certificate[] {certificate} : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
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
