package dev.entramcp.adapter.http.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.fixtures.FixedClock;
import dev.entramcp.domain.model.AuditAction;
import dev.entramcp.domain.model.AuditEvent;
import dev.entramcp.domain.model.CorrelationId;
import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.model.ToolName;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StructuredAuditLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrincipalId ALICE = PrincipalId.of(Callers.TENANT, Callers.ALICE_OID);

    private static AuditEvent event(String clientApp, String detail) {
        return new AuditEvent(FixedClock.NOW, CorrelationId.of("corr-1"), ALICE, clientApp,
                Optional.of(ToolName.of("send_mail")), AuditAction.DENIED, detail);
    }

    @Test
    void givenAnEvent_toJsonLine_writesEveryFieldInOrder() {
        String line = StructuredAuditLog.toJsonLine(event(Callers.CLIENT_APP, "missing app role Mail.Sender"));

        assertThat(line).isEqualTo("{\"type\":\"audit\",\"time\":\"2026-01-15T10:00:00Z\",\"correlationId\":\"corr-1\","
                + "\"tid\":\"" + Callers.TENANT + "\",\"oid\":\"" + Callers.ALICE_OID + "\",\"clientApp\":\""
                + Callers.CLIENT_APP + "\",\"tool\":\"send_mail\",\"action\":\"DENIED\","
                + "\"reason\":\"missing app role Mail.Sender\"}");
    }

    @Test
    void givenAListing_toJsonLine_writesANullTool() throws Exception {
        AuditEvent listing = new AuditEvent(FixedClock.NOW, CorrelationId.of("corr-2"), ALICE, Callers.CLIENT_APP,
                Optional.empty(), AuditAction.LISTED, "[whoami]");

        JsonNode parsed = JSON.readTree(StructuredAuditLog.toJsonLine(listing));

        assertThat(parsed.get("tool").isNull()).isTrue();
        assertThat(parsed.get("action").asText()).isEqualTo("LISTED");
    }

    @Test
    void givenInputThatTriesToForgeALine_toJsonLine_staysOneLineOfValidJson() throws Exception {
        String forged = "x\"}\n{\"type\":\"audit\",\"action\":\"ALLOWED\"}\u2028\r\\";

        String line = StructuredAuditLog.toJsonLine(event(forged, forged));

        assertThat(line).doesNotContain("\n", "\r", "\u2028");
        JsonNode parsed = JSON.readTree(line);
        assertThat(parsed.get("clientApp").asText()).isEqualTo(forged);
        assertThat(parsed.get("reason").asText()).isEqualTo(forged);
        assertThat(parsed.get("action").asText()).isEqualTo("DENIED");
    }

    @Test
    void givenAJwtShapedReason_toJsonLine_redactsIt() {
        String line = StructuredAuditLog.toJsonLine(event(Callers.CLIENT_APP,
                "upstream said eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl was refused"));

        assertThat(line).contains("upstream said [redacted] was refused").doesNotContain("eyJ");
    }
}
