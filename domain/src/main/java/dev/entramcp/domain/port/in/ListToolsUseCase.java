package dev.entramcp.domain.port.in;

import dev.entramcp.domain.model.ToolDescriptor;

import java.util.List;

/** Lists the tools the caller may call, and only those ({@code tools/list}). */
@FunctionalInterface
public interface ListToolsUseCase {

    List<ToolDescriptor> listTools(ListToolsQuery query);
}
