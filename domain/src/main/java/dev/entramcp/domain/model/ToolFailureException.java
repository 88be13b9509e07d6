package dev.entramcp.domain.model;

/**
 * Carries a {@link ToolFailure} out of an outgoing port or a tool handler. Ports sit on I/O, so
 * their failures travel as this one unchecked exception; the call-tool use case catches it and
 * turns it back into a value ({@code CallToolOutcome.Failed}) before anything reaches a transport.
 * Its message is the failure's user message, which never holds a token.
 */
public final class ToolFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ToolFailure failure;

    public ToolFailureException(ToolFailure failure) {
        super(Require.notNull(failure, "failure").userMessage(), null, false, false);
        this.failure = failure;
    }

    public ToolFailure failure() {
        return failure;
    }
}
