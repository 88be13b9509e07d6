package dev.entramcp.adapter.http.support;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback JWKS endpoint for tests (JDK HttpServer on 127.0.0.1, any path): serves the key set
 * it is given, can go down (503), and counts what it served.
 */
public final class JwksServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicReference<JWKSet> keys;
    private volatile boolean down;
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    private JwksServer(JWKSet initial, boolean startDown) throws IOException {
        keys = new AtomicReference<>(initial);
        down = startDown;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            int status;
            if (down) {
                refused.incrementAndGet();
                status = 503;
                body = "{\"error\":\"down\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                served.incrementAndGet();
                status = 200;
                body = keys.get().toString().getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public static JwksServer serving(JWKSet keys) throws IOException {
        return new JwksServer(keys, false);
    }

    public static JwksServer startingDown(JWKSet keys) throws IOException {
        return new JwksServer(keys, true);
    }

    /** {@code http://127.0.0.1:port}: the authority host of the tokens it signs for. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String keysUrl(String tenant) {
        return baseUrl() + "/" + tenant + "/discovery/v2.0/keys";
    }

    public void serve(JWKSet newKeys) {
        keys.set(newKeys);
    }

    public void goDown() {
        down = true;
    }

    public void comeBack() {
        down = false;
    }

    public int served() {
        return served.get();
    }

    public int refused() {
        return refused.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
