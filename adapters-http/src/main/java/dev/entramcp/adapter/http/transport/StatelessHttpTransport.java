package dev.entramcp.adapter.http.transport;

import io.micronaut.context.annotation.Requires;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.modelcontextprotocol.spec.ProtocolVersions;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * The SDK's stateless transport SPI on Micronaut: it only holds the handler the SDK server
 * installs; {@link StatelessHttpController} feeds it one message per POST.
 */
@Singleton
@Requires(property = "entramcp.mcp.mode", value = "stateless")
public final class StatelessHttpTransport implements McpStatelessServerTransport {

    private volatile McpStatelessServerHandler handler;
    private volatile boolean closing;

    @Override
    public void setMcpHandler(McpStatelessServerHandler mcpHandler) {
        this.handler = mcpHandler;
    }

    McpStatelessServerHandler handler() {
        McpStatelessServerHandler current = handler;
        if (current == null) {
            throw new IllegalStateException("The MCP server has not been started");
        }
        return current;
    }

    boolean isClosing() {
        return closing;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> closing = true);
    }

    @Override
    public List<String> protocolVersions() {
        return List.of(ProtocolVersions.MCP_2025_03_26, ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);
    }
}
