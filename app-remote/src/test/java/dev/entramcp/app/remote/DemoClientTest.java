package dev.entramcp.app.remote;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The DemoClient's two checks on what a server advertises, against a loopback server that lies:
 * metadata describing another resource, and a discovery document naming another issuer. Its
 * happy path runs against the real app in {@code RemoteHappyPathTest} and {@code RemoteJarIT}.
 */
class DemoClientTest {

    private HttpServer server;
    private String base;
    private final AtomicReference<String> prmResource = new AtomicReference<>();
    private final AtomicReference<String> discoveredIssuer = new AtomicReference<>();
    private final AtomicReference<Integer> deviceCodeRequests = new AtomicReference<>(0);

    @BeforeEach
    void startLyingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://localhost:" + server.getAddress().getPort();
        server.createContext("/mcp", exchange -> {
            exchange.getResponseHeaders().add("WWW-Authenticate",
                    "Bearer resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/mcp\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        server.createContext("/.well-known/oauth-protected-resource/mcp", exchange -> answer(exchange,
                "{\"resource\":\"" + prmResource.get() + "\",\"authorization_servers\":[\"" + base + "/tenant/v2.0\"],"
                        + "\"scopes_supported\":[\"api://x/User.Read\"]}"));
        server.createContext("/tenant/v2.0/.well-known/openid-configuration", exchange -> answer(exchange,
                "{\"issuer\":\"" + discoveredIssuer.get() + "\",\"device_authorization_endpoint\":\"" + base
                        + "/tenant/oauth2/v2.0/devicecode\",\"token_endpoint\":\"" + base + "/tenant/oauth2/v2.0/token\"}"));
        server.createContext("/tenant/oauth2/v2.0/devicecode", exchange -> {
            deviceCodeRequests.updateAndGet(count -> count + 1);
            answer(exchange, "{\"error\":\"invalid_request\"}");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private DemoClient client() throws Exception {
        return new DemoClient(SSLContext.getDefault(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void givenMetadataDescribingAnotherResource_signIn_refusesBeforeAskingForAnyToken() throws Exception {
        prmResource.set("https://someone-else.example/mcp");
        discoveredIssuer.set(base + "/tenant/v2.0");

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> client().signIn(URI.create(base), "client"))
                .withMessage("the resource metadata describes 'https://someone-else.example/mcp', not " + base
                        + "/mcp: refusing to get a token for it");
        assertThat(deviceCodeRequests.get()).isZero();
    }

    @Test
    void givenADiscoveryDocumentNamingAnotherIssuer_signIn_refusesBeforeAskingForAnyToken() throws Exception {
        prmResource.set(base + "/mcp");
        discoveredIssuer.set("https://login.example.net/other/v2.0");

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> client().signIn(URI.create(base), "client"))
                .withMessage("the discovery document of " + base + "/tenant/v2.0 names another issuer, "
                        + "'https://login.example.net/other/v2.0'");
        assertThat(deviceCodeRequests.get()).isZero();
    }

    @Test
    void givenHonestMetadataAndDiscovery_signIn_goesOnToTheDeviceCodeEndpoint() throws Exception {
        prmResource.set(base + "/mcp");
        discoveredIssuer.set(base + "/tenant/v2.0");

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> client().signIn(URI.create(base), "client"))
                .withMessageStartingWith("sign-in failed: invalid_request");
        assertThat(deviceCodeRequests.get()).isEqualTo(1);
    }
}
