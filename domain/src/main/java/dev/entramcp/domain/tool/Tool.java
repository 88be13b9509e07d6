package dev.entramcp.domain.tool;

import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.model.ToolInvocation;
import dev.entramcp.domain.model.ToolResult;

/**
 * A tool: what it is and who may call it ({@link #descriptor()}), and what it does
 * ({@link #call(ToolInvocation)}). Tools are plain domain objects; transports never see them,
 * only the use cases do. {@code call} runs only after the policy has allowed the caller.
 *
 * <p>Expected failures (bad arguments, sign-in needed, throttling) are thrown as
 * {@link dev.entramcp.domain.model.ToolFailureException}, usually by an outgoing port.
 */
public interface Tool {

    ToolDescriptor descriptor();

    ToolResult call(ToolInvocation invocation);
}
