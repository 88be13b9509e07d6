package dev.entramcp.domain.service;

import dev.entramcp.domain.model.AuditAction;
import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.port.in.ListToolsQuery;
import dev.entramcp.domain.port.in.ListToolsUseCase;
import dev.entramcp.domain.port.out.RecordAuditEventPort;
import dev.entramcp.domain.tool.ToolCatalog;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** Lists the tools whose requirement the caller meets; the others are not shown at all. */
public final class ListToolsService implements ListToolsUseCase {

    private final ToolCatalog catalog;
    private final Auditor auditor;

    public ListToolsService(ToolCatalog catalog, RecordAuditEventPort audit, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "'catalog' must not be null");
        this.auditor = new Auditor(audit, clock);
    }

    @Override
    public List<ToolDescriptor> listTools(ListToolsQuery query) {
        Objects.requireNonNull(query, "'query' must not be null");
        List<ToolDescriptor> visible = catalog.descriptors().stream()
                .filter(tool -> tool.requirement().evaluate(query.caller()).isAllowed())
                .toList();
        auditor.record(query.caller(), query.correlationId(), Optional.empty(), AuditAction.LISTED,
                visible.stream().map(tool -> tool.name().value()).collect(Collectors.joining(",", "[", "]")));
        return visible;
    }
}
