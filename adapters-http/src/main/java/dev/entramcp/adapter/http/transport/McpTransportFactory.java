package dev.entramcp.adapter.http.transport;

import dev.entramcp.domain.port.in.CallToolUseCase;
import dev.entramcp.domain.port.in.ListToolsUseCase;
import dev.entramcp.domain.tool.ToolCatalog;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.server.HttpServerConfiguration;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.stream.Stream;

/**
 * The transport's own beans, built from configuration. The domain beans it needs
 * ({@link ToolCatalog}, the three use cases) and the {@code Challenges} come from the app.
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

    @Singleton
    OriginHostPolicy originHostPolicy(McpTransportSettings settings) {
        return new OriginHostPolicy(settings.allowedOrigins(), settings.allowedHosts());
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
