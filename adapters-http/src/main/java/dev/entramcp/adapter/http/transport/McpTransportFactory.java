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

    @Singleton
    ToolBridge toolBridge(ToolCatalog catalog, ListToolsUseCase listTools, CallToolUseCase callTool) {
        return new ToolBridge(catalog, listTools, callTool);
    }
}
