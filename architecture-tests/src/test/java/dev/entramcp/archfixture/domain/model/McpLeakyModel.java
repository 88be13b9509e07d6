package dev.entramcp.archfixture.domain.model;

import io.modelcontextprotocol.spec.McpSchema;

/** Violates the domain allow-list, the framework rule and the MCP SDK rule: the domain speaks MCP. */
public class McpLeakyModel {
    McpSchema.Tool tool;
}
