package dev.entramcp.adapter.http.transport;

import io.micronaut.context.annotation.Context;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts one MCP SDK server per enabled transport, all serving the same tools through the
 * {@link ToolBridge}, and closes them on shutdown. The async server is used on purpose: tool
 * calls are moved off the HTTP event loop by the bridge, and nothing blocks on the event loop
 * (the sync server's notifications would).
 */
@Context
public final class McpServerRuntime {

    static final String SERVER_NAME = "entra-mcp";
    static final String SERVER_VERSION = "0.1.0";

    /** What every transport's server announces: tools, without {@code listChanged}. */
    private static final McpSchema.ServerCapabilities CAPABILITIES = McpSchema.ServerCapabilities.builder().tools(false).build();

    private static final Logger LOG = LoggerFactory.getLogger(McpServerRuntime.class);

    private final List<McpAsyncServer> sessionServers = new ArrayList<>();
    private final Optional<McpStatelessAsyncServer> statelessServer;

    public McpServerRuntime(McpTransportSettings settings, ToolBridge tools, JsonRpcCodec codec,
                            Optional<StreamableHttpSessions> streamable, Optional<LegacySseSessions> legacy,
                            Optional<StatelessHttpTransport> stateless) {
        streamable.ifPresent(provider -> sessionServers.add(sessionServer(McpServer.async(provider), settings, tools, codec)));
        legacy.ifPresent(provider -> sessionServers.add(sessionServer(McpServer.async(provider), settings, tools, codec)));
        // The SDK's stateless builder is another type (no common supertype): the same setup, with the stateless tools.
        this.statelessServer = stateless.map(transport -> McpServer.async(transport)
                .serverInfo(SERVER_NAME, SERVER_VERSION)
                .capabilities(CAPABILITIES)
                .requestTimeout(settings.requestTimeout())
                .jsonMapper(codec.mcpJsonMapper())
                .tools(tools.statelessTools())
                .addToolFilter(tools.listFilter())
                .build());
        LOG.info("MCP transports: /mcp {}{}", settings.mode().configValue(),
                legacy.isPresent() ? ", legacy HTTP+SSE at /sse" : "");
    }

    /** The server behind a session-based transport (stateful Streamable HTTP, legacy HTTP+SSE). */
    private static McpAsyncServer sessionServer(McpServer.AsyncSpecification<?> builder, McpTransportSettings settings,
                                                ToolBridge tools, JsonRpcCodec codec) {
        return builder
                .serverInfo(SERVER_NAME, SERVER_VERSION)
                .capabilities(CAPABILITIES)
                .requestTimeout(settings.requestTimeout())
                .jsonMapper(codec.mcpJsonMapper())
                .tools(tools.sessionTools())
                .addToolFilter(tools.listFilter())
                .build();
    }

    @PreDestroy
    void close() {
        Mono.when(sessionServers.stream().map(McpAsyncServer::closeGracefully).toList())
                .and(statelessServer.map(McpStatelessAsyncServer::closeGracefully).orElse(Mono.empty()))
                .onErrorComplete()
                .block(Duration.ofSeconds(5));
    }
}
