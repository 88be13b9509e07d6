package dev.entramcp.adapter.http.audit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entramcp.adapter.http.transport.support.RawMcp;
import dev.entramcp.adapter.http.transport.support.TestCallerFilter;
import dev.entramcp.adapter.http.transport.support.TestWiring;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit lines written for allowed, denied and failed calls made over HTTP, read from the {@code audit} logger. */
@MicronautTest
class AuditTrailOverHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EmbeddedServer server;

    @Inject
    TestWiring.ProfileBehaviour profiles;

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger auditLogger;
    private RawMcp mcp;

    @BeforeEach
    void capture() {
        auditLogger = (Logger) LoggerFactory.getLogger(StructuredAuditLog.LOGGER_NAME);
        captured.start();
        auditLogger.addAppender(captured);
        mcp = new RawMcp(server.getURL());
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

    private String call(String caller, String session, String tool, String arguments) {
        return mcp.post("/mcp", caller, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\""
                + tool + "\",\"arguments\":" + arguments + "}}", "Mcp-Session-Id", session).body();
    }

    @Test
    void givenAllowedDeniedAndFailedCalls_theAuditLogger_getsOneJsonLineEachWithoutTheToken() {
        String session = mcp.initialize("alice-with-token");
        profiles.current.set(caller -> {
            throw new ToolFailureException(new ToolFailure.DownstreamUnavailable("Graph is down."));
        });
        captured.list.clear();

        call("alice-with-token", session, "whoami", "{}");
        call("alice-with-token", session, "send_mail", "{\"to\":[\"bob@contoso.example\"],\"subject\":\"s\",\"body\":\"b\"}");
        call("alice-with-token", session, "get_user_profile", "{}");

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
        assertThat(captured.list).allSatisfy(event ->
                assertThat(event.getFormattedMessage()).doesNotContain(TestCallerFilter.ALICE_TOKEN).doesNotContain("\n"));
    }
}
