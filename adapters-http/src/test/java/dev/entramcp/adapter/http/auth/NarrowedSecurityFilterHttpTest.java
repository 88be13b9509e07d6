package dev.entramcp.adapter.http.auth;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import static dev.entramcp.adapter.http.auth.TestTokens.TENANT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fail-closed: with micronaut-security's filter narrowed by configuration so that it no longer
 * covers the MCP endpoints, they still never run without a verified caller.
 */
@MicronautTest(environments = "authtest")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NarrowedSecurityFilterHttpTest implements TestPropertyProvider {

    private JwksServer jwks;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        try {
            jwks = JwksServer.serving(TestTokens.publicSet(TENANT_KEY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("entramcp.auth.authority-host", jwks.baseUrl(),
                "micronaut.security.filter.pattern", "/somewhere-else/**");
    }

    @AfterAll
    void stopJwks() {
        jwks.close();
    }

    @Test
    void givenTheSecurityFilterNotCoveringMcp_anMcpEndpoint_isStillRefused() {
        URI probe = URI.create(server.getURL() + "/mcp/auth-probe");
        String token = TestTokens.aUserToken(jwks.baseUrl()).signedWith(TENANT_KEY);

        HttpResponse<String> withoutToken = Http.send("POST", probe);
        HttpResponse<String> withToken = Http.withToken("POST", probe, token);

        assertThat(withoutToken.statusCode()).isEqualTo(401);
        assertThat(withToken.statusCode()).as("no validator ran, so no caller: refused rather than served").isEqualTo(401);
        assertThat(withToken.body()).doesNotContain("objectId");
    }
}
