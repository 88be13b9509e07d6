package dev.entramcp.domain.port.in;

import dev.entramcp.domain.model.Decision;

import java.util.Optional;

/**
 * Checks a {@code tools/call} against the policy before the transport dispatches it, so that an
 * HTTP transport can answer a scope shortfall with a 403 {@code insufficient_scope} challenge
 * (MCP step-up authorization). A refusal is audited. An unknown tool is not refused here: the
 * call itself then reports it. The call-tool use case checks the policy again regardless.
 */
@FunctionalInterface
public interface AuthorizeToolCallUseCase {

    /** The refusal, or empty when the policy does not refuse (allowed, or no such tool). */
    Optional<Decision.Denied> refusalFor(AuthorizeToolCallQuery query);
}
