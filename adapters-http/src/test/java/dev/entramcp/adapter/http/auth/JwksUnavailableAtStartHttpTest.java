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
import java.time.Duration;
import java.util.Map;

import static dev.entramcp.adapter.http.auth.TestTokens.TENANT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that starts while the JWKS endpoint is down: it starts anyway, answers 503 (not 401: the
 * client's token may be fine) until a background fetch succeeds, then serves normally.
 */
@MicronautTest(environments = "authtest")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwksUnavailableAtStartHttpTest implements TestPropertyProvider {

    private JwksServer jwks;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        try {
            jwks = JwksServer.startingDown(TestTokens.publicSet(TENANT_KEY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("entramcp.auth.authority-host", jwks.baseUrl());
    }

    @AfterAll
    void stopJwks() {
        jwks.close();
    }

    @Test
    void givenNoKeyEverLoaded_aValidToken_gets503UntilTheKeysArrive() {
        URI probe = URI.create(server.getURL() + "/mcp/auth-probe");
        String token = TestTokens.aUserToken(jwks.baseUrl()).signedWith(TENANT_KEY);

        HttpResponse<String> whileDown = Http.withToken("GET", probe, token);
        jwks.comeBack();
        HttpResponse<String> afterwards = Http.pollUntil(Duration.ofSeconds(10), () -> Http.withToken("GET", probe, token),
                response -> response.statusCode() != 503);

        assertThat(whileDown.statusCode()).isEqualTo(503);
        assertThat(whileDown.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(whileDown.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(Http.json(whileDown)).containsExactly(Map.entry("error", "temporarily_unavailable"),
                Map.entry("error_description", "signing keys are not available yet"));
        assertThat(afterwards.statusCode()).isEqualTo(200);
    }
}
