package dev.entramcp.adapter.http.auth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ProtectedPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/mcp", "/mcp/", "//mcp", "/MCP", "/%6Dcp", "/%6dcp/", "/mcp/session/1", "/mcp?x=1",
            "/sse", "/SSE/", "/message", "/message/abc", "\\mcp", "mcp", "/%2Fmcp"})
    void givenAnMcpPathInAnyDisguise_isProtected_saysYes(String path) {
        assertThat(ProtectedPaths.isProtected(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/mcpx", "/mcp-other", "/messages", "/ssex", "/.well-known/oauth-protected-resource/mcp",
            "/health", "/public/mcp"})
    void givenAnotherPath_isProtected_saysNo(String path) {
        assertThat(ProtectedPaths.isProtected(path)).isFalse();
    }
}
