package dev.entramcp.domain.service;

import dev.entramcp.domain.model.AuditAction;
import dev.entramcp.domain.model.Decision;
import dev.entramcp.domain.port.in.AuthorizeToolCallQuery;
import dev.entramcp.domain.port.in.AuthorizeToolCallUseCase;
import dev.entramcp.domain.port.out.RecordAuditEventPort;
import dev.entramcp.domain.tool.Tool;
import dev.entramcp.domain.tool.ToolCatalog;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/** The policy check a transport makes before dispatching a {@code tools/call}. */
public final class AuthorizeToolCallService implements AuthorizeToolCallUseCase {

    private final ToolCatalog catalog;
    private final Auditor auditor;

    public AuthorizeToolCallService(ToolCatalog catalog, RecordAuditEventPort audit, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "'catalog' must not be null");
        this.auditor = new Auditor(audit, clock);
    }

    @Override
    public Optional<Decision.Denied> refusalFor(AuthorizeToolCallQuery query) {
        Objects.requireNonNull(query, "'query' must not be null");
        Optional<Tool> tool = catalog.find(query.toolName());
        if (tool.isEmpty()) {
            return Optional.empty();
        }
        Decision decision = tool.get().descriptor().requirement().evaluate(query.caller());
        if (decision instanceof Decision.Denied denied) {
            auditor.record(query.caller(), query.correlationId(), Optional.of(tool.get().descriptor().name()),
                    AuditAction.DENIED, denied.reason());
            return Optional.of(denied);
        }
        return Optional.empty();
    }
}
