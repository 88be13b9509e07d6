package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.auth.AuthSettings;
import dev.entramcp.domain.port.in.CallToolUseCase;
import dev.entramcp.domain.port.in.ListToolsUseCase;
import dev.entramcp.domain.tool.ToolCatalog;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.server.HttpServerConfiguration;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The transport's own beans, built from configuration. The domain beans it needs
 * ({@link ToolCatalog}, the three use cases and the audit port behind them) come from the app;
 * the authentication beans it uses ({@code AuthSettings}, {@code Challenges},
 * {@code AuthenticationRefusals}) from the {@code auth} package of this module.
 */
@Factory
public class McpTransportFactory {

    /** Checked at start-up: a bad {@code entramcp.mcp.*} stops the server with a message saying what to set. */
    @Context
    @Singleton
    McpTransportSettings mcpTransportSettings(McpHttpProperties properties, HttpServerConfiguration server) {
        Duration shortestIdle = Stream.of(server.getIdleTimeout(), server.getReadIdleTimeout(), server.getWriteIdleTimeout())
                .filter(timeout -> timeout != null && !timeout.isNegative() && !timeout.isZero())
                .min(Duration::compareTo)
                .orElse(null);
        return McpTransportSettings.from(properties, shortestIdle);
    }

    @Singleton
    JsonRpcCodec jsonRpcCodec() {
        return new JsonRpcCodec();
    }

    /**
     * The Host allow-list is {@code entramcp.mcp.allowed-hosts} plus the host of
     * {@code entramcp.http.public-base-url}: the URL this server tells clients to use (PRM's
     * {@code resource}) must never be refused as a rebinding attempt.
     */
    @Singleton
    OriginHostPolicy originHostPolicy(McpTransportSettings settings, AuthSettings auth) {
        List<String> hosts = new ArrayList<>(settings.allowedHosts());
        String publicHost = hostEntry(auth.publicBaseUrl());
        if (!hosts.contains(publicHost)) {
            hosts.add(publicHost);
        }
        return new OriginHostPolicy(settings.allowedOrigins(), hosts);
    }

    /** {@code host:port} when the URL names a port, else the bare host (any port). */
    static String hostEntry(URI url) {
        return url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    @Singleton
    @Requires(property = "entramcp.mcp.rate-limit.enabled", notEquals = "false")
    PrincipalRateLimiter principalRateLimiter(McpTransportSettings settings) {
        return new PrincipalRateLimiter(settings.requestsPerSecond(), settings.burst(), settings.maxTrackedPrincipals(),
                System::nanoTime);
    }

    /** Built at start-up (the MCP servers need it), after checking the tools' scopes against the API's. */
    @Singleton
    ToolBridge toolBridge(ToolCatalog catalog, ListToolsUseCase listTools, CallToolUseCase callTool, AuthSettings auth) {
        requireDeclaredScopes(catalog, auth);
        return new ToolBridge(catalog, listTools, callTool);
    }

    /**
     * Every scope a tool requires must be one of the API's scopes ({@code entramcp.auth.scopes}):
     * the step-up 403 asks clients for exactly the scopes a tool requires, while PRM advertises
     * the configured ones, and Entra issues only scopes the app registration exposes. A tool
     * needing an undeclared scope could never be called, and its challenge would send clients to
     * request a scope that does not exist; so the server does not start.
     */
    static void requireDeclaredScopes(ToolCatalog catalog, AuthSettings auth) {
        Set<String> undeclared = new TreeSet<>();
        catalog.descriptors().forEach(tool -> undeclared.addAll(tool.requirement().scopes()));
        undeclared.removeAll(auth.scopes());
        if (!undeclared.isEmpty()) {
            throw new IllegalStateException("Invalid MCP configuration: the tools require the scopes " + undeclared
                    + " which entramcp.auth.scopes " + auth.scopes() + " does not list; add them to entramcp.auth.scopes "
                    + "(and expose them in the API's app registration)");
        }
    }
}
