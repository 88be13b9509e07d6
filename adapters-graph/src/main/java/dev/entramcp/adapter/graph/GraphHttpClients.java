package dev.entramcp.adapter.graph;

import dev.entramcp.domain.model.Require;

import javax.net.ssl.SSLContext;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * {@link HttpClient}s fit for {@link GraphAdapter}: they never follow redirects (the adapter
 * refuses a client that does) and bound the time to connect. Share one per application: it
 * holds the connection pool.
 */
public final class GraphHttpClients {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private GraphHttpClients() {
    }

    /** Trusts the JVM's default CA certificates: for the real Microsoft Graph. */
    public static HttpClient standard() {
        return builder().build();
    }

    /**
     * Trusts what {@code sslContext} trusts: for a Graph behind a private CA, such as the
     * project's emulator with its self-signed loopback certificate. Host names are still verified.
     */
    public static HttpClient trusting(SSLContext sslContext) {
        return builder().sslContext(Require.notNull(sslContext, "sslContext")).build();
    }

    private static HttpClient.Builder builder() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CONNECT_TIMEOUT);
    }
}
