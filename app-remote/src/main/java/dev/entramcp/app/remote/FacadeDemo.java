package dev.entramcp.app.remote;

import dev.entramcp.adapter.http.facade.FacadeSettings;
import dev.entramcp.emulator.EntraEmulator;

import java.util.Map;

/**
 * {@code --demo --facade}: what facade mode adds to the demo. The emulator's remote app gets the
 * facade's callback as a redirect URI (as an administrator would add
 * {@code https://mcp.example.com/auth/callback} to the app registration), and metadata documents
 * may be fetched from loopback, where a demo serves them.
 *
 * <p>Micronaut's "drive-by localhost" check is switched off
 * ({@code micronaut.server.cors.localhost-pass-through}): on a server at {@code localhost} it
 * refuses (an empty 403) any request whose {@code Origin} is not local, and a real browser posts
 * the emulator's {@code form_post} page (https) to this server's callback (plain http) with
 * {@code Origin: null} (Fetch standard: a downgrade from https to http hides the origin, and the
 * emulator's pages send {@code no-referrer} besides). The callback needs no origin (the single-use
 * {@code state} and the sign-in cookie bind it), the consent {@code POST} checks its own, and the
 * MCP endpoints keep their {@code Origin} allow-list.
 */
final class FacadeDemo {

    private FacadeDemo() {
    }

    /** Registers the callback at the emulator; returns the extra properties. */
    static Map<String, Object> prepare(EntraEmulator emulator, int port) {
        emulator.control().registerRedirectUri(emulator.apps().remote().clientId(),
                "http://localhost:" + port + FacadeSettings.CALLBACK_PATH);
        return Map.of(
                "entramcp.facade.cimd.allow-loopback", "true",
                "micronaut.server.cors.localhost-pass-through", "true",
                "entramcp.auth.resource-name", "entra-mcp demo (facade over the Entra emulator)");
    }

    /** What to tell the person who started the demo. */
    static String banner(EntraEmulator emulator, String serverUrl, String demoUser) {
        String server = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
        return """
                ****************************************************************************
                *  entra-mcp DEMO MODE, authorization-server FACADE. This server is the MCP
                *  clients' OAuth authorization server; the sign-ins behind it go to the
                *  embedded Entra EMULATOR at %1$s,
                *  not Microsoft Entra ID. Development and test only.
                *  Emulator sign-ins are approved automatically as: %2$s
                *  Clients, grants and keys are kept in memory: a restart signs everyone out.
                ****************************************************************************
                MCP endpoint:          %3$s/mcp
                Resource metadata:     %3$s/.well-known/oauth-protected-resource/mcp
                Authorization server:  %3$s/.well-known/oauth-authorization-server

                Run a client that registers itself, signs in (PKCE, consent, emulator login) and calls a tool,
                driven only by what this server advertises:
                  java -cp app-remote/target/app-remote.jar dev.entramcp.app.remote.FacadeDemoClient %3$s --cacert %4$s

                Or point an MCP client that does OAuth (MCP Inspector, mcp-remote...) at %3$s/mcp;
                its browser must trust the emulator's certificate (%4$s) for the sign-in page.
                """.formatted(emulator.baseUrl(), demoUser, server, emulator.trustPem());
    }
}
