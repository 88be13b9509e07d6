package dev.entramcp.adapter.http.audit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.SharedMcpServer;
import dev.entramcp.adapter.http.support.TestCallers;
import dev.entramcp.adapter.http.support.TestWiring;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit lines written for allowed, denied and failed calls made over HTTP with a real bearer
 * token, read from the {@code audit} logger.
 */
@ExtendWith(SharedMcpServer.class)
class AuditTrailOverHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final McpTestServer server;
    private final TestWiring.ProfileBehaviour profiles;
    private final RawMcp mcp;
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger auditLogger;

    AuditTrailOverHttpTest(McpTestServer server) {
        this.server = server;
        this.profiles = server.bean(TestWiring.ProfileBehaviour.class);
        this.mcp = server.raw();
    }

    @BeforeEach
    void capture() {
        auditLogger = (Logger) LoggerFactory.getLogger(StructuredAuditLog.LOGGER_NAME);
        captured.start();
        auditLogger.addAppender(captured);
    }

    @AfterEach
    void release() {
        auditLogger.detachAppender(captured);
        profiles.reset();
    }

    private List<JsonNode> lines() {
        return captured.list.stream().map(ILoggingEvent::getFormattedMessage).map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }).toList();
    }

    private String call(String token, String session, String tool, String arguments) {
        return mcp.post("/mcp", token, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\""
                + tool + "\",\"arguments\":" + arguments + "}}", "Mcp-Session-Id", session).body();
    }

    @Test
    void givenAllowedDeniedAndFailedCalls_theAuditLogger_getsOneJsonLineEachWithoutTheToken() {
        String alice = server.tokenFor(TestCallers.alice());
        String session = mcp.initialize(alice);
        profiles.current.set(caller -> {
            throw new ToolFailureException(new ToolFailure.DownstreamUnavailable("Graph is down."));
        });
        captured.list.clear();

        call(alice, session, "whoami", "{}");
        call(alice, session, "send_mail", "{\"to\":[\"bob@contoso.example\"],\"subject\":\"s\",\"body\":\"b\"}");
        call(alice, session, "get_user_profile", "{}");

        List<JsonNode> lines = lines();
        assertThat(lines).extracting(line -> line.get("tool").asText() + ":" + line.get("action").asText())
                .containsExactly("whoami:ALLOWED", "send_mail:DENIED", "get_user_profile:ALLOWED", "get_user_profile:FAILED");
        JsonNode denied = lines.get(1);
        assertThat(denied.get("type").asText()).isEqualTo("audit");
        assertThat(denied.get("tid").asText()).isEqualTo(Callers.TENANT);
        assertThat(denied.get("oid").asText()).isEqualTo(Callers.ALICE_OID);
        assertThat(denied.get("clientApp").asText()).isEqualTo(Callers.CLIENT_APP);
        assertThat(denied.get("reason").asText()).isEqualTo("missing app role Mail.Sender");
        assertThat(denied.get("correlationId").asText()).matches("[0-9a-f-]{36}");
        assertThat(denied.get("time").asText()).endsWith("Z");
        assertThat(lines.get(3).get("reason").asText()).isEqualTo("DownstreamUnavailable");
        String signature = alice.substring(alice.lastIndexOf('.') + 1);
        assertThat(captured.list).allSatisfy(event -> assertThat(event.getFormattedMessage())
                .doesNotContain(alice).doesNotContain(signature).doesNotContain("eyJ").doesNotContain("\n"));
    }
}
