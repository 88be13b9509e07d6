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

import static dev.entramcp.adapter.http.auth.TestFacadeIssuers.FACADE;
import static dev.entramcp.adapter.http.auth.TestTokens.FOREIGN_KEY;
import static dev.entramcp.adapter.http.auth.TestTokens.TENANT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/** A second {@link TrustedIssuers} bean (the facade's own issuer) is trusted beside Entra, as strictly. */
@MicronautTest(environments = "authtest")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FacadeIssuerHttpTest implements TestPropertyProvider {

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
        return Map.of("entramcp.auth.authority-host", jwks.baseUrl(), "test.facade-issuer.enabled", "true");
    }

    @AfterAll
    void stopJwks() {
        jwks.close();
    }

    private TestTokens.Builder facadeToken() {
        return TestTokens.aUserToken(jwks.baseUrl()).with("iss", FACADE).with("aud", FACADE + "/mcp")
                .with("azp", "dcr-client-42");
    }

    @Test
    void givenTheFacadeIssuer_itsOwnTokensAndEntraTokens_areBothAcceptedEachUnderItsOwnRules() {
        URI probe = URI.create(server.getURL() + "/mcp/auth-probe");

        HttpResponse<String> facade = Http.withToken("GET", probe, facadeToken().signedWith(FOREIGN_KEY));
        HttpResponse<String> entra = Http.withToken("GET", probe, TestTokens.aUserToken(jwks.baseUrl()).signedWith(TENANT_KEY));
        HttpResponse<String> facadeClaimsEntraKey = Http.withToken("GET", probe, facadeToken().signedWith(TENANT_KEY));
        HttpResponse<String> facadeKeyEntraAudience = Http.withToken("GET", probe,
                facadeToken().with("aud", TestTokens.API_CLIENT_ID).signedWith(FOREIGN_KEY));

        assertThat(facade.statusCode()).isEqualTo(200);
        assertThat(Http.json(facade)).containsEntry("clientAppId", "dcr-client-42").containsEntry("assertionPresent", false);
        assertThat(entra.statusCode()).isEqualTo(200);
        assertThat(Http.json(entra)).containsEntry("assertionPresent", true);
        assertThat(facadeClaimsEntraKey.statusCode()).isEqualTo(401);
        assertThat(Http.json(facadeClaimsEntraKey)).containsEntry("error_description", "signing key is not known");
        assertThat(Http.json(facadeKeyEntraAudience)).containsEntry("error_description", "audience is not this server");
    }
}
