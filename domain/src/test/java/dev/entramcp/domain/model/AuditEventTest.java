package dev.entramcp.domain.model;

import dev.entramcp.domain.fixtures.Callers;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AuditEventTest {

    private static AuditEvent event(Optional<ToolName> tool, String detail) {
        return new AuditEvent(Instant.parse("2026-01-15T10:00:00Z"), CorrelationId.of("c-1"), Callers.alice().principal(),
                Callers.CLIENT_APP, tool, AuditAction.DENIED, detail);
    }

    @Test
    void givenDeniedCall_toJsonLine_namesCallerToolAndReason() {
        String line = event(Optional.of(ToolName.of("send_mail")), "missing app role Mail.Sender").toJsonLine();

        assertThat(line).isEqualTo("{\"type\":\"audit\",\"time\":\"2026-01-15T10:00:00Z\",\"correlationId\":\"c-1\","
                + "\"tid\":\"" + Callers.TENANT + "\",\"oid\":\"" + Callers.ALICE_OID + "\",\"clientApp\":\"" + Callers.CLIENT_APP + "\","
                + "\"tool\":\"send_mail\",\"action\":\"DENIED\",\"reason\":\"missing app role Mail.Sender\"}");
    }

    @Test
    void givenListing_toJsonLine_writesANullTool() {
        assertThat(event(Optional.empty(), "[whoami]").toJsonLine()).contains("\"tool\":null");
    }

    @Test
    void givenLineBreaksQuotesAndUnicodeSeparators_toJsonLine_staysOneUnforgeableLine() {
        String line = event(Optional.empty(), "x\"}\n{\"type\":\"audit\",\"action\":\"ALLOWED\u2028\\").toJsonLine();

        assertThat(line).doesNotContain("\n").doesNotContain("\u2028").contains("\\u000a").contains("\\u2028").contains("\\\"}").endsWith("\\\\\"}");
    }

    @Test
    void givenJwtShapedDetail_toJsonLine_redactsIt() {
        String line = event(Optional.empty(), "saw eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl in the detail").toJsonLine();

        assertThat(line).contains("saw [redacted] in the detail").doesNotContain("eyJ");
    }
}
