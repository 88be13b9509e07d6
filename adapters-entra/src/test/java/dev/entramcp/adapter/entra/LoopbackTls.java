package dev.entramcp.adapter.entra;

import no.nav.security.mock.oauth2.http.Ssl;
import no.nav.security.mock.oauth2.http.SslKeystore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;

/**
 * TLS for loopback test servers: one self-signed "localhost" certificate generated at runtime
 * (by mock-oauth2-server's helper), a server context that presents it and a client side that
 * trusts only it. msal4j insists on https, so every fake Entra here speaks TLS.
 */
final class LoopbackTls {

    private static final LoopbackTls INSTANCE = new LoopbackTls();

    private final Ssl ssl;
    private final SSLContext clientContext;

    private LoopbackTls() {
        try {
            this.ssl = new Ssl(new SslKeystore());
            Certificate certificate = ssl.getSslKeystore().getKeyStore().getCertificate("localhost");
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("loopback", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            clientContext = SSLContext.getInstance("TLS");
            clientContext.init(null, factory.getTrustManagers(), null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static LoopbackTls get() {
        return INSTANCE;
    }

    Ssl ssl() {
        return ssl;
    }

    SSLContext serverContext() {
        return ssl.sslContext();
    }

    SSLContext clientContext() {
        return clientContext;
    }

    SSLSocketFactory clientSocketFactory() {
        return clientContext.getSocketFactory();
    }
}
