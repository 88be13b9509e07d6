package dev.entramcp.adapter.http.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A refused bearer token leaves one audit line: why, where, never the token. */
class BearerTokenRefusalAuditTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void givenAnExpiredToken_refusalLine_namesTheReasonMethodAndPath() throws Exception {
        String line = BearerTokenValidator.refusalLine(BearerTokenVerifier.EXPIRED, HttpRequest.POST("/mcp", "{}"));

        JsonNode event = JSON.readTree(line);
        assertThat(event.path("type").asText()).isEqualTo("authentication");
        assertThat(event.path("action").asText()).isEqualTo("REFUSED");
        assertThat(event.path("method").asText()).isEqualTo("POST");
        assertThat(event.path("path").asText()).isEqualTo("/mcp");
        assertThat(event.path("reason").asText()).isEqualTo("token has expired");
    }

    @Test
    void givenAPathCraftedToForgeALine_refusalLine_staysOneLineOfValidJson() throws Exception {
        String line = BearerTokenValidator.refusalLine(BearerTokenVerifier.MALFORMED,
                HttpRequest.GET("/mcp%0A%7B%22type%22:%22audit%22%7D%22%7D"));

        assertThat(line).doesNotContain("\n");
        assertThat(JSON.readTree(line).path("reason").asText()).isEqualTo("malformed token");
    }
}
