package dev.entramcp.app.remote;

import dev.entramcp.emulator.DemoGroup;
import dev.entramcp.emulator.EntraEmulator;
import dev.entramcp.emulator.GraphRequest;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code list_my_groups} through the remote server, in process: the server in demo mode on its
 * embedded emulator, an MCP client carrying a token the demo client would get for the server's API,
 * and Graph called On-Behalf-Of the user. The one proof of the tool's wiring line in
 * {@link RemoteWiring}; the remote scenario's own tests cover the rest of the server.
 */
class RemoteListMyGroupsTest {

    private static RemoteApplication.Running running;
    private static EntraEmulator emulator;
    private static String baseUrl;

    private final List<McpSyncClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        running = RemoteApplication.start(RemoteOptions.parse(new String[] {"--demo", "-micronaut.server.port=" + port}),
                new PrintStream(OutputStream.nullOutputStream()));
        emulator = running.emulator().orElseThrow();
        baseUrl = "http://localhost:" + port;
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(McpSyncClient::closeGracefully);
    }

    /** An MCP client for {@code user}, with a token for the server's API carrying exactly {@code scopes}. */
    private McpSyncClient clientFor(String user, String... scopes) {
        String api = emulator.apps().remote().appIdUri();
        String token = emulator.control().issueAccessToken(user, emulator.apps().demo().clientId(),
                java.util.Arrays.stream(scopes).map(scope -> api + "/" + scope).toArray(String[]::new));
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(baseUrl).endpoint("/mcp")
                .addHttpRequestCustomizer((builder, method, uri, body, context) -> builder.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        clients.add(client);
        client.initialize();
        return client;
    }

    private static List<String> toolNames(McpSyncClient client) {
        return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
    }

    @Test
    void givenAliceWithGroupMemberReadAll_listMyGroups_returnsHerGroupsReadOnBehalfOfHer() {
        McpSyncClient alice = clientFor("alice", "User.Read", "GroupMember.Read.All");
        List<String> groups = emulator.memberships("alice").stream()
                .filter(group -> group.kind() == DemoGroup.Kind.GROUP).map(DemoGroup::displayName).toList();

        assertThat(toolNames(alice)).contains("list_my_groups");
        McpSchema.CallToolResult result = alice.callTool(McpSchema.CallToolRequest.builder("list_my_groups")
                .arguments(Map.of("top", 10)).build());

        String text = ((McpSchema.TextContent) result.content().get(0)).text();
        assertThat(result.isError()).as(text).isFalse();
        assertThat(text).startsWith("You are a direct member of 2 groups.").contains(groups).doesNotContain("Global Reader");
        GraphRequest request = emulator.control().graphRequests().stream()
                .filter(r -> r.path().startsWith("/graph/v1.0/me/memberOf")).reduce((first, second) -> second).orElseThrow();
        assertThat(request.claim("azp")).as("Graph is called with the server's On-Behalf-Of token")
                .contains(emulator.apps().remote().clientId());
        assertThat(request.claim("oid")).contains(emulator.user("alice").objectId());
    }

    @Test
    void givenATokenWithoutGroupMemberReadAll_toolsList_hidesListMyGroups() {
        McpSyncClient alice = clientFor("alice", "User.Read");

        assertThat(toolNames(alice)).contains("whoami", "get_user_profile").doesNotContain("list_my_groups");
    }
}
