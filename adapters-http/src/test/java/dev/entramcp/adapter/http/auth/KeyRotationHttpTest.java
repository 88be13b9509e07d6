package dev.entramcp.adapter.http.auth;

import dev.entramcp.adapter.http.support.JwksServer;
import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.SharedMcpServer;
import dev.entramcp.adapter.http.support.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;

import static dev.entramcp.adapter.http.support.TestTokens.ROTATED_KEY;
import static dev.entramcp.adapter.http.support.TestTokens.TENANT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant's key set changing under a running server: a rotated-in key is picked up after one
 * refusal, and an unreachable JWKS endpoint is survived on the cached keys. The JWKS is never
 * fetched on the request path: each refusal answers at once and the fetch happens behind it.
 */
@ExtendWith(SharedMcpServer.class)
class KeyRotationHttpTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String PROBE = "/mcp/auth-probe";

    private final JwksServer jwks;
    private final RawMcp http;

    KeyRotationHttpTest(McpTestServer server) {
        this.jwks = server.jwks();
        this.http = server.raw();
    }

    @AfterEach
    void restoreJwks() {
        jwks.comeBack();
        jwks.serve(TestTokens.publicSet(TENANT_KEY));
    }

    @Test
    void givenTheTenantRotatesInANewKey_aTokenSignedWithIt_isRefusedOnceThenAcceptedAfterTheBackgroundRefetch() {
        String rotated = TestTokens.aUserToken(jwks.baseUrl()).signedWith(ROTATED_KEY);
        jwks.serve(TestTokens.publicSet(TENANT_KEY, ROTATED_KEY));

        HttpResponse<String> first = http.withToken("GET", PROBE, rotated);
        HttpResponse<String> later = RawMcp.pollUntil(PATIENCE, () -> http.withToken("GET", PROBE, rotated),
                response -> response.statusCode() == 200);

        assertThat(first.statusCode()).isEqualTo(401);
        assertThat(first.headers().firstValue("WWW-Authenticate")).hasValue(
                BearerAuthenticationHttpTest.invalidTokenChallenge("signing key is not known"));
        assertThat(RawMcp.json(later)).containsEntry("kind", "USER");
    }

    @Test
    void givenTheJwksEndpointDown_tokensSignedWithCachedKeys_areStillAccepted() {
        jwks.goDown();
        int refusedBefore = jwks.refused();
        String unknownKid = TestTokens.aUserToken(jwks.baseUrl()).signedWith(TestTokens.FOREIGN_KEY);

        RawMcp.pollUntil(PATIENCE, () -> {
            http.withToken("GET", PROBE, unknownKid);
            return jwks.refused();
        }, refused -> refused > refusedBefore);
        String fresh = TestTokens.aUserToken(jwks.baseUrl()).with("uti", "fresh-after-outage").signedWith(TENANT_KEY);
        HttpResponse<String> response = http.withToken("POST", PROBE, fresh);

        assertThat(response.statusCode()).as("verified on the cached key while the JWKS endpoint is down").isEqualTo(200);
    }
}
