package dev.entramcp.adapter.http.auth;

import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.SharedMcpServer;
import dev.entramcp.adapter.http.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;

import static dev.entramcp.adapter.http.auth.TestFacadeIssuers.FACADE;
import static dev.entramcp.adapter.http.support.TestTokens.FOREIGN_KEY;
import static dev.entramcp.adapter.http.support.TestTokens.TENANT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second {@link TrustedIssuers} bean (the facade's own issuer, {@link TestFacadeIssuers}, which
 * the shared server switches on) is trusted beside Entra, as strictly.
 */
@ExtendWith(SharedMcpServer.class)
class FacadeIssuerHttpTest {

    private static final String PROBE = "/mcp/auth-probe";

    private final McpTestServer server;
    private final RawMcp http;

    FacadeIssuerHttpTest(McpTestServer server) {
        this.server = server;
        this.http = server.raw();
    }

    private TestTokens.Builder facadeToken() {
        return TestTokens.aUserToken(server.authority()).with("iss", FACADE).with("aud", FACADE + "/mcp")
                .with("azp", "dcr-client-42");
    }

    @Test
    void givenTheFacadeIssuer_itsOwnTokensAndEntraTokens_areBothAcceptedEachUnderItsOwnRules() {
        HttpResponse<String> facade = http.withToken("GET", PROBE, facadeToken().signedWith(FOREIGN_KEY));
        HttpResponse<String> entra = http.withToken("GET", PROBE, TestTokens.aUserToken(server.authority()).signedWith(TENANT_KEY));
        HttpResponse<String> facadeClaimsEntraKey = http.withToken("GET", PROBE, facadeToken().signedWith(TENANT_KEY));
        HttpResponse<String> facadeKeyEntraAudience = http.withToken("GET", PROBE,
                facadeToken().with("aud", TestTokens.API_CLIENT_ID).signedWith(FOREIGN_KEY));

        assertThat(facade.statusCode()).isEqualTo(200);
        assertThat(RawMcp.json(facade)).containsEntry("clientAppId", "dcr-client-42").containsEntry("assertionPresent", false);
        assertThat(entra.statusCode()).isEqualTo(200);
        assertThat(RawMcp.json(entra)).containsEntry("assertionPresent", true);
        assertThat(facadeClaimsEntraKey.statusCode()).isEqualTo(401);
        assertThat(RawMcp.json(facadeClaimsEntraKey)).containsEntry("error_description", "signing key is not known");
        assertThat(RawMcp.json(facadeKeyEntraAudience)).containsEntry("error_description", "audience is not this server");
    }
}
