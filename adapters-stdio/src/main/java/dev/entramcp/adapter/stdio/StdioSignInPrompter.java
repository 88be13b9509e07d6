package dev.entramcp.adapter.stdio;

import dev.entramcp.domain.model.SignInPrompt;
import dev.entramcp.domain.port.out.PromptUserSignInPort;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Brings a sign-in prompt to the person without touching stdout, which belongs to the protocol:
 * <ol>
 *   <li>a line on stderr, which MCP clients show in their server log;</li>
 *   <li>an MCP logging notification ({@code notifications/message}, level warning), which clients
 *       show in their UI, when the client's log level lets it through;</li>
 *   <li>a URL-mode elicitation ({@code elicitation/create} with {@code mode: url}), when the client
 *       declared it supports them: the client offers to open the sign-in page.</li>
 * </ol>
 * None of these blocks: the sign-in itself is awaited by the token adapter.
 */
public final class StdioSignInPrompter implements PromptUserSignInPort {

    private static final Duration ELICITATION_TIMEOUT = Duration.ofMinutes(15);

    private final StdioTransportProvider transport;
    private final PrintStream stderr;

    public StdioSignInPrompter(StdioTransportProvider transport, PrintStream stderr) {
        this.transport = Objects.requireNonNull(transport, "'transport' must not be null");
        this.stderr = Objects.requireNonNull(stderr, "'stderr' must not be null");
    }

    @Override
    public void prompt(SignInPrompt prompt) {
        stderr.println("[entra-mcp] Sign-in needed: " + prompt.message());
        stderr.flush();
        transport.session().ifPresent(session -> {
            notify(session, prompt);
            if (transport.clientSupportsUrlElicitation()) {
                elicit(session, prompt);
            }
        });
    }

    private static void notify(McpServerSession session, SignInPrompt prompt) {
        if (!session.isNotificationForLevelAllowed(McpSchema.LoggingLevel.WARNING)) {
            return;
        }
        session.sendNotification(McpSchema.METHOD_NOTIFICATION_MESSAGE,
                        new McpSchema.LoggingMessageNotification(McpSchema.LoggingLevel.WARNING, "entra-mcp.sign-in", prompt.message()))
                .onErrorResume(error -> reactor.core.publisher.Mono.empty())
                .subscribe();
    }

    private static void elicit(McpServerSession session, SignInPrompt prompt) {
        McpSchema.ElicitUrlRequest request = new McpSchema.ElicitUrlRequest(prompt.message(),
                prompt.verificationUri().toString(), UUID.randomUUID().toString(), null);
        session.sendRequest(McpSchema.METHOD_ELICITATION_CREATE, request, new TypeRef<McpSchema.ElicitResult>() {
                })
                .timeout(ELICITATION_TIMEOUT)
                .onErrorResume(error -> reactor.core.publisher.Mono.empty())
                .subscribe();
    }
}
