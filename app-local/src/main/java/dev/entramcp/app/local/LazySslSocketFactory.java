package dev.entramcp.app.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * An {@link SSLSocketFactory} that asks for the real one only when the first socket is made, so
 * that handing it to msal4j at start-up builds no TLS machinery (see {@link TrustedCertificates}).
 * Every method delegates; nothing about the sockets or their checks changes.
 */
final class LazySslSocketFactory extends SSLSocketFactory {

    private final Supplier<SSLSocketFactory> factory;

    LazySslSocketFactory(Supplier<SSLSocketFactory> factory) {
        this.factory = factory;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return factory.get().getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return factory.get().getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return factory.get().createSocket();
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return factory.get().createSocket(socket, host, port, autoClose);
    }

    @Override
    public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose) throws IOException {
        return factory.get().createSocket(socket, consumed, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return factory.get().createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return factory.get().createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return factory.get().createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return factory.get().createSocket(address, port, localAddress, localPort);
    }
}
