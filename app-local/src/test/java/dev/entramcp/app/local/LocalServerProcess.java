package dev.entramcp.app.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code java -jar app-local.jar ...} as an MCP client launches it: a real subprocess driven by the
 * SDK's {@link McpSyncClient} over stdio, with its stderr collected for assertions.
 */
final class LocalServerProcess implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("appLocalJar", "target/app-local.jar"));

    private final McpSyncClient client;
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    final List<McpSchema.LoggingMessageNotification> logs = new CopyOnWriteArrayList<>();

    private LocalServerProcess(List<String> args) {
        List<String> command = new ArrayList<>(List.of("-jar", JAR.toString()));
        command.addAll(args);
        StdioClientTransport transport = new StdioClientTransport(
                ServerParameters.builder(javaExecutable()).args(command).env(Map.of("ENTRA_MCP_SIGN_IN", "device-code")).build(),
                new JacksonMcpJsonMapper(new ObjectMapper()));
        transport.setStdErrorHandler(stderr::add);
        client = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60))
                .loggingConsumer(logs::add)
                .build();
        client.initialize();
    }

    static LocalServerProcess start(String... args) {
        return new LocalServerProcess(List.of(args));
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    List<String> toolNames() {
        return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
    }

    McpSchema.CallToolResult call(String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    String stderr() {
        return String.join("\n", stderr);
    }

    /**
     * The stderr collected so far, once it holds all of {@code texts} (or after {@link #EVENTUALLY}). The SDK hands
     * stderr lines and log notifications to their consumers on threads of its own, so a line written before a response
     * may still be on its way when the response arrives.
     */
    String stderrOnceItContains(String... texts) {
        eventually(() -> java.util.Arrays.stream(texts).allMatch(stderr()::contains));
        return stderr();
    }

    /** How many log notifications arrived, once more than {@code count} did (or after {@link #EVENTUALLY}). */
    int logsOnceMoreThan(int count) {
        eventually(() -> logs.size() > count);
        return logs.size();
    }

    static final Duration EVENTUALLY = Duration.ofSeconds(10);

    private static void eventually(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + EVENTUALLY.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        client.closeGracefully();
    }
}
