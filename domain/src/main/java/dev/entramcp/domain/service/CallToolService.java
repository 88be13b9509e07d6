package dev.entramcp.domain.service;

import dev.entramcp.domain.model.AuditAction;
import dev.entramcp.domain.model.CallToolOutcome;
import dev.entramcp.domain.model.Decision;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.ToolInvocation;
import dev.entramcp.domain.model.ToolName;
import dev.entramcp.domain.port.in.CallToolCommand;
import dev.entramcp.domain.port.in.CallToolUseCase;
import dev.entramcp.domain.port.out.RecordAuditEventPort;
import dev.entramcp.domain.tool.Tool;
import dev.entramcp.domain.tool.ToolCatalog;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Authorize, audit, invoke, and map every failure to a domain outcome. An unknown tool, a refused
 * caller and a failing downstream are three different outcomes. An unexpected exception is
 * logged here with its correlation id and reported to the caller without its message, so that
 * nothing internal leaks to the client.
 */
public final class CallToolService implements CallToolUseCase {

    private static final System.Logger LOG = System.getLogger(CallToolService.class.getName());

    private final ToolCatalog catalog;
    private final Auditor auditor;

    public CallToolService(ToolCatalog catalog, RecordAuditEventPort audit, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "'catalog' must not be null");
        this.auditor = new Auditor(audit, clock);
    }

    @Override
    public CallToolOutcome callTool(CallToolCommand command) {
        Objects.requireNonNull(command, "'command' must not be null");
        Optional<Tool> found = catalog.find(command.toolName());
        if (found.isEmpty()) {
            auditor.record(command.caller(), command.correlationId(), Optional.empty(), AuditAction.FAILED,
                    "unknown tool");
            return new CallToolOutcome.UnknownTool(command.toolName());
        }
        Tool tool = found.get();
        ToolName name = tool.descriptor().name();
        Optional<ToolName> audited = Optional.of(name);

        Decision decision = tool.descriptor().requirement().evaluate(command.caller());
        if (decision instanceof Decision.Denied denied) {
            auditor.record(command.caller(), command.correlationId(), audited, AuditAction.DENIED, denied.reason());
            return new CallToolOutcome.Refused(name, denied);
        }
        auditor.record(command.caller(), command.correlationId(), audited, AuditAction.ALLOWED, "allowed");

        ToolInvocation invocation;
        try {
            invocation = new ToolInvocation(command.caller(), command.arguments(), command.correlationId());
        } catch (IllegalArgumentException notJson) {
            // Only the arguments' shape is the caller's fault here; what the tool and its ports throw is not.
            return failed(command, name, new ToolFailure.InvalidArguments(
                    "the arguments are not JSON values this tool accepts"));
        }
        ToolFailure failure;
        try {
            return new CallToolOutcome.Completed(name, tool.call(invocation));
        } catch (ToolFailureException expected) {
            failure = expected.failure();
        } catch (RuntimeException unexpected) {
            LOG.log(System.Logger.Level.WARNING, "Tool " + name + " failed unexpectedly (correlation id "
                    + command.correlationId() + ")", unexpected);
            failure = new ToolFailure.DownstreamUnavailable(
                    "an unexpected error occurred (correlation id " + command.correlationId() + ").");
        }
        return failed(command, name, failure);
    }

    private CallToolOutcome failed(CallToolCommand command, ToolName name, ToolFailure failure) {
        auditor.record(command.caller(), command.correlationId(), Optional.of(name), AuditAction.FAILED,
                failure.getClass().getSimpleName());
        return new CallToolOutcome.Failed(name, failure);
    }
}
