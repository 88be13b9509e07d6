package dev.entramcp.app.remote;

import dev.entramcp.adapter.entra.ClientCredentialConfig;
import dev.entramcp.emulator.AppRegistration;
import dev.entramcp.emulator.EntraEmulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code --demo}: how the server is configured against the embedded emulator, exactly as it would be
 * against a real tenant (tenant id, the API's client id and App ID URI, the authority, Graph's URL),
 * plus the two things a real tenant does not need: trust for the emulator's self-signed
 * certificate, and the client secret the emulator generated at start, which stays in memory.
 */
record DemoSetup(Map<String, Object> properties, CredentialSettings credentials) {

    private static final String PORT_KEY = "micronaut.server.port";

    static DemoSetup of(EntraEmulator emulator, int port) {
        AppRegistration api = emulator.apps().remote();
        Map<String, Object> properties = Map.ofEntries(
                Map.entry("micronaut.server.port", port),
                // The demo serves plain HTTP on loopback only: the emulator signs anyone in as anyone.
                Map.entry("micronaut.server.host", "localhost"),
                Map.entry("micronaut.server.ssl.enabled", false),
                Map.entry("entramcp.http.public-base-url", "http://localhost:" + port),
                Map.entry("entramcp.auth.tenant-id", emulator.tenantId()),
                Map.entry("entramcp.auth.client-id", api.clientId()),
                Map.entry("entramcp.auth.app-id-uri", api.appIdUri()),
                Map.entry("entramcp.auth.authority-host", emulator.baseUrl().toString()),
                Map.entry("entramcp.auth.jwks-trust-pem", emulator.trustPem().toString()),
                Map.entry("entramcp.auth.resource-name", "entra-mcp demo (Entra emulator)"),
                Map.entry("entramcp.graph.base-url", emulator.graphBaseUrl().toString()),
                Map.entry("entramcp.entra.credential", "secret"));
        return new DemoSetup(properties,
                CredentialSettings.overriding(Map.of(ClientCredentialConfig.CLIENT_SECRET, api.clientSecret())));
    }

    /**
     * The port the demo serves on, read from where Micronaut reads it, in its order:
     * {@code -micronaut.server.port=N} (or {@code --micronaut.server.port=N}) on the command line,
     * then the system property {@code micronaut.server.port}, then {@code MICRONAUT_SERVER_PORT},
     * else 8080. The demo's properties fix the port, so they must name the one the user chose, and
     * PRM's {@code resource} must name the port the server really listens on: 0 or -1 (Micronaut's
     * "any free port") therefore picks a free loopback port now.
     *
     * @throws IllegalArgumentException if the value is not a port number
     */
    static int port(List<String> micronautArgs, Properties systemProperties, Map<String, String> environment) {
        int port = configuredPort(micronautArgs, systemProperties, environment);
        return port > 0 ? port : freeLoopbackPort();
    }

    /** Whether the configured port is 0 or -1, Micronaut's "any free port". */
    static boolean wantsAnyPort(List<String> micronautArgs, Properties systemProperties, Map<String, String> environment) {
        return configuredPort(micronautArgs, systemProperties, environment) <= 0;
    }

    private static int configuredPort(List<String> micronautArgs, Properties systemProperties, Map<String, String> environment) {
        String value = null;
        for (String arg : micronautArgs) {
            for (String prefix : List.of("-" + PORT_KEY + "=", "--" + PORT_KEY + "=")) {
                if (arg.startsWith(prefix)) {
                    value = arg.substring(prefix.length());
                }
            }
        }
        if (value == null) {
            value = systemProperties.getProperty(PORT_KEY);
        }
        if (value == null) {
            value = environment.get("MICRONAUT_SERVER_PORT");
        }
        if (value == null || value.isBlank()) {
            return 8080;
        }
        int port;
        try {
            port = Integer.parseInt(value.strip());
        } catch (NumberFormatException notANumber) {
            port = Integer.MIN_VALUE;
        }
        if (port < -1 || port > 65_535) {
            throw new IllegalArgumentException("the port must be a number from 1 to 65535 (or 0 or -1 for any free port); got '"
                    + value.strip() + "'");
        }
        return port;
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port for the demo", e);
        }
    }

    /** What to tell the person who started the demo: that it is one, and how to call a tool. */
    static String banner(EntraEmulator emulator, String serverUrl, String demoUser) {
        AppRegistration api = emulator.apps().remote();
        String demoClient = emulator.apps().demo().clientId();
        String scopes = api.appIdUri() + "/User.Read " + api.appIdUri() + "/Mail.Send";
        return """
                ****************************************************************************
                *  entra-mcp DEMO MODE: tokens come from the embedded Entra EMULATOR at
                *  %1$s, not Microsoft Entra ID. Development and test only.
                *  Device-code sign-ins are approved automatically as: %2$s
                ****************************************************************************
                MCP endpoint:      %3$s/mcp   (Streamable HTTP; legacy SSE at %3$s/sse)
                Resource metadata: %3$s/.well-known/oauth-protected-resource/mcp

                Get a token and call a tool in one step (discovers everything through PRM):
                  java -cp app-remote/target/app-remote.jar dev.entramcp.app.remote.DemoClient %3$s --client-id %5$s --cacert %4$s

                Or by hand (the emulator's certificate: %4$s):
                  curl -s --cacert %4$s -d client_id=%5$s \\
                       --data-urlencode 'scope=%6$s offline_access' %7$s/oauth2/v2.0/devicecode
                  curl -s --cacert %4$s -d client_id=%5$s -d device_code=<device_code from above> \\
                       -d grant_type=urn:ietf:params:oauth:grant-type:device_code %7$s/oauth2/v2.0/token
                  then POST JSON-RPC to %3$s/mcp with 'Authorization: Bearer <access_token>'
                  and 'Accept: application/json, text/event-stream'.
                """.formatted(emulator.baseUrl(), demoUser, stripSlash(serverUrl), emulator.trustPem(), demoClient,
                scopes, emulator.authority());
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
