package dev.entramcp.adapter.http.auth;

import com.nimbusds.jose.JWSAlgorithm;
import dev.entramcp.adapter.http.support.TestTokens;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AuthSettingsTest {

    private static final String TENANT = TestTokens.TENANT;
    private static final String CLIENT = TestTokens.API_CLIENT_ID;

    private static AuthProperties minimal() {
        AuthProperties properties = new AuthProperties();
        properties.setTenantId(TENANT.toUpperCase());
        properties.setClientId(CLIENT);
        return properties;
    }

    @Test
    void givenOnlyTenantClientAndBaseUrl_from_appliesEntraDefaults() {
        AuthSettings settings = AuthSettings.from(minimal(), "https://mcp.example.com/");

        assertThat(settings.tenantId()).isEqualTo(TENANT);
        assertThat(settings.allowedTenants()).containsExactly(TENANT);
        assertThat(settings.appIdUri()).isEqualTo("api://" + CLIENT);
        assertThat(settings.audiences()).containsExactlyInAnyOrder(CLIENT, "api://" + CLIENT);
        assertThat(settings.authorityHost()).isEqualTo(URI.create("https://login.microsoftonline.com"));
        assertThat(settings.jwksUri()).isEqualTo(URI.create("https://login.microsoftonline.com/" + TENANT + "/discovery/v2.0/keys"));
        assertThat(settings.authorizationServers()).containsExactly(URI.create("https://login.microsoftonline.com/" + TENANT + "/v2.0"));
        assertThat(settings.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.algorithms()).containsExactly(JWSAlgorithm.RS256);
        assertThat(settings.resource()).isEqualTo(URI.create("https://mcp.example.com/mcp"));
        assertThat(settings.resourceMetadataUrl())
                .isEqualTo(URI.create("https://mcp.example.com/.well-known/oauth-protected-resource/mcp"));
        assertThat(settings.requestableScopes()).containsExactly("api://" + CLIENT + "/User.Read");
        assertThat(settings.requestableChallengeScopes()).containsExactly("api://" + CLIENT + "/User.Read");
    }

    @Test
    void givenSeveralAllowedTenants_from_advertisesTheOrganizationsAuthorityInPrm() {
        AuthProperties properties = minimal();
        properties.setAllowedTenants(List.of(TENANT, TestTokens.OTHER_ALLOWED_TENANT));

        AuthSettings settings = AuthSettings.from(properties, "https://mcp.example.com");

        assertThat(settings.authorizationServers())
                .containsExactly(URI.create("https://login.microsoftonline.com/organizations/v2.0"));
        assertThat(settings.allowedTenants()).containsExactly(TENANT, TestTokens.OTHER_ALLOWED_TENANT);
    }

    @Test
    void givenSeveralAllowedTenantsAndExplicitAuthorizationServers_from_keepsWhatWasSet() {
        AuthProperties properties = minimal();
        properties.setAllowedTenants(List.of(TENANT, TestTokens.OTHER_ALLOWED_TENANT));
        properties.setAuthorizationServers(List.of("https://login.microsoftonline.com/" + TENANT + "/v2.0"));

        AuthSettings settings = AuthSettings.from(properties, "https://mcp.example.com");

        assertThat(settings.authorizationServers())
                .containsExactly(URI.create("https://login.microsoftonline.com/" + TENANT + "/v2.0"));
    }

    @Test
    void givenNothing_from_listsEveryRequiredKeyWithWhatToSet() {
        assertThatExceptionOfType(InvalidAuthConfigurationException.class)
                .isThrownBy(() -> AuthSettings.from(new AuthProperties(), null))
                .satisfies(e -> assertThat(e.problems()).containsExactly(
                        "entramcp.auth.tenant-id is not set: set it to your Entra directory (tenant) id, a GUID "
                                + "(Entra admin center > Overview > Tenant ID); 'common' and 'organizations' cannot be "
                                + "used, the token issuer names the tenant's GUID",
                        "entramcp.auth.client-id is not set: set it to the Application (client) ID of this server's "
                                + "app registration, a GUID",
                        "entramcp.http.public-base-url is not set: set it to the URL clients use to reach this server, "
                                + "such as https://mcp.example.com (scheme, host and port only)"));
    }

    @Test
    void givenUnsafeValues_from_refusesEachWithItsKey() {
        AuthProperties properties = minimal();
        properties.setTenantId("common");
        properties.setAuthorityHost("http://login.microsoftonline.com");
        properties.setClockSkew(Duration.ofMinutes(10));
        properties.setAlgorithms(List.of("RS256", "HS256"));
        properties.setScopes(List.of("User.Read", "bad scope"));
        properties.setAllowedTenants(List.of(TENANT, "contoso.com"));
        properties.setVerifiedTokenCacheSize(-1);

        assertThatExceptionOfType(InvalidAuthConfigurationException.class)
                .isThrownBy(() -> AuthSettings.from(properties, "https://mcp.example.com/some/path"))
                .satisfies(e -> assertThat(e.problems()).extracting(problem -> problem.substring(0, problem.indexOf(' ')))
                        .containsExactly("entramcp.auth.tenant-id", "entramcp.auth.allowed-tenants",
                                "entramcp.auth.authority-host", "entramcp.auth.clock-skew",
                                "entramcp.auth.verified-token-cache-size", "entramcp.auth.algorithms",
                                "entramcp.auth.scopes", "entramcp.http.public-base-url"))
                .withMessageContaining("HMAC algorithms are never accepted")
                .withMessageContaining("must be an https URL (http only for localhost)")
                .withMessageContaining("must have no path");
    }

    @Test
    void givenRsaOrEcAlgorithmsOtherThanRs256_from_refusesEachBecauseEntraSignsWithRs256Only() {
        AuthProperties properties = minimal();
        properties.setAlgorithms(List.of("RS256", "RS384", "PS256", "ES256"));

        assertThatExceptionOfType(InvalidAuthConfigurationException.class)
                .isThrownBy(() -> AuthSettings.from(properties, "https://mcp.example.com"))
                .satisfies(e -> assertThat(e.problems()).hasSize(3).allSatisfy(problem -> assertThat(problem)
                        .startsWith("entramcp.auth.algorithms cannot contain '")
                        .contains("Microsoft Entra signs access tokens with RS256 only, so allowed are [RS256]")));
    }

    @Test
    void givenTheEmulatorOnLoopbackAndAnAllowList_from_acceptsHttpForLocalhostOnly() {
        AuthProperties properties = minimal();
        properties.setAuthorityHost("http://127.0.0.1:9443");
        properties.setAllowedTenants(List.of(TENANT, TestTokens.OTHER_ALLOWED_TENANT));
        properties.setAuthorizationServers(List.of("http://localhost:8080"));
        properties.setScopePrefix("");

        AuthSettings settings = AuthSettings.from(properties, "http://localhost:8080");

        assertThat(settings.jwksUri()).isEqualTo(URI.create("http://127.0.0.1:9443/" + TENANT + "/discovery/v2.0/keys"));
        assertThat(settings.allowedTenants()).containsExactly(TENANT, TestTokens.OTHER_ALLOWED_TENANT);
        assertThat(settings.authorizationServers()).containsExactly(URI.create("http://localhost:8080"));
        assertThat(settings.requestableScopes()).containsExactly("User.Read");
    }
}
