package dev.entramcp.domain.tool;

import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.model.ToolName;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The server's tools, in the order they are listed. Names are unique. */
public final class ToolCatalog {

    private final Map<ToolName, Tool> tools;

    private ToolCatalog(Map<ToolName, Tool> tools) {
        this.tools = Collections.unmodifiableMap(tools);
    }

    public static ToolCatalog of(List<? extends Tool> tools) {
        Objects.requireNonNull(tools, "'tools' must not be null");
        Map<ToolName, Tool> byName = new LinkedHashMap<>();
        for (Tool tool : tools) {
            Objects.requireNonNull(tool, "'tools' must not contain null");
            ToolName name = tool.descriptor().name();
            if (byName.putIfAbsent(name, tool) != null) {
                throw new IllegalArgumentException("'tools' must have unique names, but '" + name + "' appears twice");
            }
        }
        return new ToolCatalog(byName);
    }

    public static ToolCatalog of(Tool... tools) {
        return of(List.of(tools));
    }

    /** The tool of this name, if any. Accepts any string, valid tool name or not. */
    public Optional<Tool> find(String name) {
        try {
            return Optional.ofNullable(tools.get(ToolName.of(name)));
        } catch (IllegalArgumentException invalidName) {
            return Optional.empty();
        }
    }

    public List<ToolDescriptor> descriptors() {
        return tools.values().stream().map(Tool::descriptor).toList();
    }

    public List<Tool> tools() {
        return List.copyOf(tools.values());
    }
}
