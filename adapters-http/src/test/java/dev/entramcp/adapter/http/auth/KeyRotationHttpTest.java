package dev.entramcp.adapter.http.auth;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static dev.entramcp.adapter.http.auth.TestTokens.ROTATED_KEY;
import static dev.entramcp.adapter.http.auth.TestTokens.TENANT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant's key set changing under a running server: a rotated-in key is picked up after one
 * refusal, and an unreachable JWKS endpoint is survived on the cached keys. The JWKS is never
 * fetched on the request path: each refusal answers at once and the fetch happens behind it.
 */
@MicronautTest(environments = "authtest")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRotationHttpTest implements TestPropertyProvider {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

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
        return Map.of("entramcp.auth.authority-host", jwks.baseUrl());
    }

    @AfterEach
    void restoreJwks() {
        jwks.comeBack();
        jwks.serve(TestTokens.publicSet(TENANT_KEY));
    }

    @AfterAll
    void stopJwks() {
        jwks.close();
    }

    private URI probe() {
        return URI.create(server.getURL() + "/mcp/auth-probe");
    }

    @Test
    void givenTheTenantRotatesInANewKey_aTokenSignedWithIt_isRefusedOnceThenAcceptedAfterTheBackgroundRefetch() {
        String rotated = TestTokens.aUserToken(jwks.baseUrl()).signedWith(ROTATED_KEY);
        jwks.serve(TestTokens.publicSet(TENANT_KEY, ROTATED_KEY));

        HttpResponse<String> first = Http.withToken("GET", probe(), rotated);
        HttpResponse<String> later = Http.pollUntil(PATIENCE, () -> Http.withToken("GET", probe(), rotated),
                response -> response.statusCode() == 200);

        assertThat(first.statusCode()).isEqualTo(401);
        assertThat(first.headers().firstValue("WWW-Authenticate")).hasValue(
                BearerAuthenticationHttpTest.invalidTokenChallenge("signing key is not known"));
        assertThat(Http.json(later)).containsEntry("kind", "USER");
    }

    @Test
    void givenTheJwksEndpointDown_tokensSignedWithCachedKeys_areStillAccepted() {
        jwks.goDown();
        int refusedBefore = jwks.refused();
        String unknownKid = TestTokens.aUserToken(jwks.baseUrl()).signedWith(TestTokens.FOREIGN_KEY);

        Http.pollUntil(PATIENCE, () -> {
            Http.withToken("GET", probe(), unknownKid);
            return jwks.refused();
        }, refused -> refused > refusedBefore);
        String fresh = TestTokens.aUserToken(jwks.baseUrl()).with("uti", "fresh-after-outage").signedWith(TENANT_KEY);
        HttpResponse<String> response = Http.withToken("POST", probe(), fresh);

        assertThat(response.statusCode()).as("verified on the cached key while the JWKS endpoint is down").isEqualTo(200);
    }
}
