package dev.entramcp.domain.port.in;

import dev.entramcp.domain.model.CallToolOutcome;

/** Authorizes, audits and runs a tool call ({@code tools/call}). Never throws for an expected failure. */
@FunctionalInterface
public interface CallToolUseCase {

    CallToolOutcome callTool(CallToolCommand command);
}
