package dev.entramcp.adapter.http.transport;

import dev.entramcp.domain.model.CallToolOutcome;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.CorrelationId;
import dev.entramcp.domain.model.Decision;
import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.model.ToolHints;
import dev.entramcp.domain.port.in.CallToolCommand;
import dev.entramcp.domain.port.in.CallToolUseCase;
import dev.entramcp.domain.port.in.ListToolsQuery;
import dev.entramcp.domain.port.in.ListToolsUseCase;
import dev.entramcp.domain.tool.ToolCatalog;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpAsyncListFilter;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Translates between the domain's tools and the MCP SDK, both ways: a {@link ToolDescriptor}
 * becomes an SDK {@code Tool}, {@code tools/list} is filtered by the domain's
 * {@link ListToolsUseCase} for the caller of the request, and {@code tools/call} runs the
 * {@link CallToolUseCase} and maps each {@link CallToolOutcome} to its MCP answer:
 * <ul>
 *   <li>{@code Completed}: a result with the text and the structured content;</li>
 *   <li>{@code Failed}: a result with {@code isError: true} and the failure's user message, so
 *       that the model sees what went wrong and what to do;</li>
 *   <li>{@code UnknownTool}: JSON-RPC error -32602;</li>
 *   <li>{@code Refused}: JSON-RPC error {@link JsonRpcCodec#FORBIDDEN} naming what is missing
 *       (the HTTP transports refuse scope shortfalls with 403 before they get here).</li>
 * </ul>
 * The caller comes from the {@link McpTransportContext} ({@link CallerContext}); an
 * unexpected exception becomes an opaque internal error carrying only the correlation id.
 */
public final class ToolBridge {

    private static final Logger LOG = LoggerFactory.getLogger(ToolBridge.class);

    private final List<ToolDescriptor> descriptors;
    private final ListToolsUseCase listTools;
    private final CallToolUseCase callTool;

    /**
     * @param catalog   every tool the server has; only its descriptors are read, to declare the
     *                  tools to the SDK (what each caller sees is decided by {@code listTools})
     * @param listTools the per-caller listing
     * @param callTool  the call
     */
    public ToolBridge(ToolCatalog catalog, ListToolsUseCase listTools, CallToolUseCase callTool) {
        this.descriptors = Objects.requireNonNull(catalog, "'catalog' must not be null").descriptors();
        this.listTools = Objects.requireNonNull(listTools, "'listTools' must not be null");
        this.callTool = Objects.requireNonNull(callTool, "'callTool' must not be null");
    }

    /** The SDK's view of a domain tool: name, title, description, input schema and hints. */
    public static McpSchema.Tool toSdkTool(ToolDescriptor descriptor) {
        ToolHints hints = descriptor.hints();
        return McpSchema.Tool.builder(descriptor.name().value(), descriptor.inputSchema())
                .title(descriptor.title())
                .description(descriptor.description())
                .annotations(new McpSchema.ToolAnnotations(descriptor.title(), hints.readOnly(), hints.destructive(),
                        hints.idempotent(), hints.openWorld(), null))
                .build();
    }

    /** Tool specifications for a session-based server (Streamable HTTP, legacy SSE). */
    public List<McpServerFeatures.AsyncToolSpecification> sessionTools() {
        return descriptors.stream()
                .map(descriptor -> McpServerFeatures.AsyncToolSpecification.builder()
                        .tool(toSdkTool(descriptor))
                        .callHandler((exchange, request) -> call(exchange.transportContext(), request,
                                exchange::progressNotification))
                        .build())
                .toList();
    }

    /** Tool specifications for the stateless server: no session, so no progress notifications. */
    public List<McpStatelessServerFeatures.AsyncToolSpecification> statelessTools() {
        return descriptors.stream()
                .map(descriptor -> McpStatelessServerFeatures.AsyncToolSpecification.builder()
                        .tool(toSdkTool(descriptor))
                        .callHandler((context, request) -> call(context, request, progress -> Mono.empty()))
                        .build())
                .toList();
    }

    /** The {@code tools/list} filter: a tool is shown when the domain lists it for this request's caller. */
    public McpAsyncListFilter<McpSchema.Tool> listFilter() {
        return (context, tool) -> Mono.fromCallable(() -> CallerContext.caller(context)
                .map(caller -> CallerContext.visibleTools(context, caller,
                        who -> visibleNames(who, CallerContext.correlationId(context))).contains(tool.name()))
                .orElse(false));
    }

    private Set<String> visibleNames(CallerIdentity caller, CorrelationId correlationId) {
        return listTools.listTools(new ListToolsQuery(caller, correlationId)).stream()
                .map(descriptor -> descriptor.name().value())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Runs a {@code tools/call}. The domain call blocks (it may call Graph), so it runs on the
     * bounded-elastic scheduler, never on the HTTP event loop. When the client asked for progress
     * ({@code _meta.progressToken}), a first notification says that the call started.
     */
    Mono<McpSchema.CallToolResult> call(McpTransportContext context, McpSchema.CallToolRequest request,
                                       Function<McpSchema.ProgressNotification, Mono<Void>> progress) {
        CorrelationId correlationId = CallerContext.correlationId(context);
        CallerIdentity caller = CallerContext.caller(context).orElse(null);
        if (caller == null) {
            LOG.error("tools/call reached a tool without an authenticated caller (correlation id {})", correlationId);
            return Mono.error(internalError(correlationId));
        }
        Object progressToken = request.progressToken();
        Mono<Void> started = progressToken == null ? Mono.empty()
                : progress.apply(new McpSchema.ProgressNotification(progressToken, 0.0, 1.0,
                        "Calling " + request.name(), null));
        return started
                .then(Mono.fromCallable(() -> callTool.callTool(
                                new CallToolCommand(caller, request.name(), request.arguments(), correlationId)))
                        .subscribeOn(Schedulers.boundedElastic()))
                .map(outcome -> toResult(outcome))
                .onErrorMap(error -> !(error instanceof McpError), error -> {
                    LOG.error("tools/call failed unexpectedly (correlation id {})", correlationId, error);
                    return internalError(correlationId);
                });
    }

    /** Maps a domain outcome to the MCP answer; refusals and unknown tools become JSON-RPC errors. */
    static McpSchema.CallToolResult toResult(CallToolOutcome outcome) {
        if (outcome instanceof CallToolOutcome.Completed completed) {
            McpSchema.CallToolResult.Builder result = McpSchema.CallToolResult.builder()
                    .addTextContent(completed.result().text())
                    .isError(false);
            if (completed.result().hasStructuredContent()) {
                result.structuredContent(completed.result().structuredContent());
            }
            return result.build();
        }
        if (outcome instanceof CallToolOutcome.Failed failed) {
            return McpSchema.CallToolResult.builder()
                    .addTextContent(failed.failure().userMessage())
                    .isError(true)
                    .build();
        }
        if (outcome instanceof CallToolOutcome.UnknownTool unknown) {
            throw unknownTool(unknown.requestedName());
        }
        CallToolOutcome.Refused refused = (CallToolOutcome.Refused) outcome;
        throw forbidden(refused.decision());
    }

    /** JSON-RPC -32602 for a tool that does not exist. */
    static McpError unknownTool(String name) {
        return McpError.builder(JsonRpcCodec.INVALID_PARAMS)
                .message("Unknown tool: " + printable(name))
                .build();
    }

    /** JSON-RPC {@link JsonRpcCodec#FORBIDDEN}, naming what the caller lacks (never what it holds). */
    static McpError forbidden(Decision.Denied denied) {
        return McpError.builder(JsonRpcCodec.FORBIDDEN)
                .message("Forbidden: " + denied.reason())
                .data(refusalData(denied))
                .build();
    }

    /** The machine-readable part of a refusal, for the {@code data} of a JSON-RPC error. */
    static Map<String, Object> refusalData(Decision.Denied denied) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", denied.reason());
        if (!denied.missingScopes().isEmpty()) {
            data.put("missingScopes", List.copyOf(denied.missingScopes()));
        }
        if (!denied.missingRoles().isEmpty()) {
            data.put("missingRoles", List.copyOf(denied.missingRoles()));
        }
        if (!denied.requiredScopes().isEmpty()) {
            data.put("requiredScopes", List.copyOf(denied.requiredScopes()));
        }
        return data;
    }

    static McpError internalError(CorrelationId correlationId) {
        return McpError.builder(JsonRpcCodec.INTERNAL_ERROR)
                .message("Internal error (correlation id " + correlationId + ")")
                .build();
    }

    /** A client-supplied name, cut and stripped of anything but printable ASCII before it is echoed. */
    static String printable(String value) {
        String cut = value.length() > 128 ? value.substring(0, 128) + "..." : value;
        return cut.codePoints()
                .map(c -> c >= 0x20 && c < 0x7F ? c : '?')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
