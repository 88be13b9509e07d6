package dev.entramcp.adapter.stdio;

import dev.entramcp.domain.model.CallToolOutcome;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.port.in.CallToolCommand;
import dev.entramcp.domain.port.in.CallToolUseCase;
import dev.entramcp.domain.port.in.ListToolsQuery;
import dev.entramcp.domain.port.in.ListToolsUseCase;
import dev.entramcp.domain.port.out.LoadSignedInCallerPort;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The local MCP server: the domain's tools over stdio, for the one person signed in on this
 * machine.
 *
 * <ul>
 *   <li>{@code tools/list} shows the tools the signed-in caller may call, evaluated once per
 *       request by {@link ListToolsUseCase} (which also audits it). While sign-in is still pending,
 *       it waits for it as a tool call does (as long as the signed-in-caller port waits, 45 s by
 *       default locally), then shows none; when sign-in completes, the server sends
 *       {@code notifications/tools/list_changed} so the client lists again.</li>
 *   <li>{@code tools/call} runs through {@link CallToolUseCase}; every outcome, including a
 *       pending sign-in, becomes a tool result whose text says what to do.</li>
 * </ul>
 */
public final class StdioMcpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StdioMcpServer.class);
    /** How long the background watcher waits for a pending sign-in: about a device code's life. */
    private static final Duration SIGN_IN_WATCH_LIMIT = Duration.ofMinutes(15);
    /** The least time between two checks, whatever the token adapter's own bounded wait. */
    private static final Duration SIGN_IN_WATCH_PACE = Duration.ofMillis(500);

    /** Name, version and limits of the server. */
    public record Settings(String name, String version, Duration requestTimeout) {
        public Settings {
            Objects.requireNonNull(name, "'name' must not be null");
            Objects.requireNonNull(version, "'version' must not be null");
            Objects.requireNonNull(requestTimeout, "'requestTimeout' must not be null");
        }
    }

    private final StdioTransportProvider transport;
    private final ListToolsUseCase listTools;
    private final CallToolUseCase callTool;
    private final LoadSignedInCallerPort signedInCaller;
    private final AtomicBoolean watchingSignIn = new AtomicBoolean();
    private final ExecutorService watcher = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mcp-stdio-sign-in-watcher");
        thread.setDaemon(true);
        return thread;
    });
    private final McpSyncServer server;

    private StdioMcpServer(Settings settings, List<ToolDescriptor> tools, ListToolsUseCase listTools,
                           CallToolUseCase callTool, LoadSignedInCallerPort signedInCaller,
                           StdioTransportProvider transport) {
        this.transport = transport;
        this.listTools = listTools;
        this.callTool = callTool;
        this.signedInCaller = signedInCaller;
        this.server = McpServer.sync(transport)
                .serverInfo(settings.name(), settings.version())
                .requestTimeout(settings.requestTimeout())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).logging().build())
                .tools(tools.stream().map(this::specification).toList())
                .addToolFilter((context, tool) -> RequestScope.of(context).visibleTools(this::visibleToolNames).contains(tool.name()))
                .build();
    }

    /**
     * Starts serving on the given transport.
     *
     * @param tools           every tool of the catalog, so that calls can be routed; what each
     *                        caller sees is still decided by {@code listTools}
     */
    public static StdioMcpServer start(Settings settings, List<ToolDescriptor> tools, ListToolsUseCase listTools,
                                       CallToolUseCase callTool, LoadSignedInCallerPort signedInCaller,
                                       StdioTransportProvider transport) {
        return new StdioMcpServer(settings,
                List.copyOf(Objects.requireNonNull(tools, "'tools' must not be null")),
                Objects.requireNonNull(listTools, "'listTools' must not be null"),
                Objects.requireNonNull(callTool, "'callTool' must not be null"),
                Objects.requireNonNull(signedInCaller, "'signedInCaller' must not be null"),
                Objects.requireNonNull(transport, "'transport' must not be null"));
    }

    /** Blocks until the client closes stdin or the server is closed. */
    public void awaitTermination() throws InterruptedException {
        transport.awaitTermination();
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        server.closeGracefully();
    }

    private McpServerFeatures.SyncToolSpecification specification(ToolDescriptor descriptor) {
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpToolMapping.toMcp(descriptor))
                .callHandler(this::call)
                .build();
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        RequestScope scope = RequestScope.of(exchange.transportContext());
        CallerIdentity caller;
        try {
            caller = signedInCaller.loadSignedInCaller();
        } catch (ToolFailureException signInPending) {
            watchSignIn();
            return McpToolMapping.error(signInPending.failure().userMessage());
        }
        Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
        CallToolOutcome outcome = callTool.callTool(new CallToolCommand(caller, request.name(), arguments, scope.correlationId()));
        return McpToolMapping.toMcp(outcome);
    }

    private Set<String> visibleToolNames() {
        CallerIdentity caller;
        try {
            caller = signedInCaller.loadSignedInCaller();
        } catch (ToolFailureException signInPending) {
            LOG.info("Listing no tools until sign-in completes: {}", signInPending.failure().userMessage());
            watchSignIn();
            return Set.of();
        }
        return listTools.listTools(new ListToolsQuery(caller, dev.entramcp.domain.model.CorrelationId.random())).stream()
                .map(tool -> tool.name().value())
                .collect(Collectors.toSet());
    }

    /** Waits for a pending sign-in in the background, then tells the client to list tools again. */
    private void watchSignIn() {
        if (!watchingSignIn.compareAndSet(false, true)) {
            return;
        }
        watcher.execute(() -> {
            long deadline = System.nanoTime() + SIGN_IN_WATCH_LIMIT.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    try {
                        signedInCaller.loadSignedInCaller();
                        server.notifyToolsListChanged();
                        return;
                    } catch (ToolFailureException stillPending) {
                        if (!(stillPending.failure() instanceof ToolFailure.SignInRequired)) {
                            LOG.warn("Sign-in did not complete: {}", stillPending.failure().userMessage());
                            return;
                        }
                    }
                    TimeUnit.NANOSECONDS.sleep(SIGN_IN_WATCH_PACE.toNanos());
                }
            } catch (InterruptedException shuttingDown) {
                Thread.currentThread().interrupt();
            } finally {
                watchingSignIn.set(false);
            }
        });
    }
}
