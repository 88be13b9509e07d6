package dev.entramcp.adapter.http.auth;

import com.nimbusds.jose.JWSAlgorithm;
import dev.entramcp.adapter.http.support.TestTokens;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the authorization-server facade will do: contribute its own issuer (its URL, its own
 * public keys, {@code aud} = this MCP resource) as one more {@link TrustedIssuers} bean.
 */
@Singleton
@Named("facade")
@Requires(property = "test.facade-issuer.enabled", value = "true")
class TestFacadeIssuers implements TrustedIssuers {

    static final String FACADE = "https://mcp.example.test";

    @Override
    public List<TrustedIssuer> trustedIssuers() {
        return List.of(TrustedIssuer.of(FACADE, Set.of(FACADE + "/mcp"), Set.of(JWSAlgorithm.RS256),
                SigningKeys.of(TestTokens.publicSet(TestTokens.FOREIGN_KEY)),
                Set.of(TestTokens.TENANT, TestTokens.OTHER_ALLOWED_TENANT), Optional.of("2.0"), false));
    }
}
