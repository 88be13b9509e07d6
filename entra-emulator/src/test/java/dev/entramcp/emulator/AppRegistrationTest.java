package dev.entramcp.emulator;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AppRegistrationTest {

    @Test
    void givenHttpLocalhost_redirectMatching_acceptsAnyPortButNothingElse() {
        AppRegistration app = AppRegistration.publicClient("cli");

        assertThat(app.acceptsRedirectUri("http://localhost")).isTrue();
        assertThat(app.acceptsRedirectUri("http://localhost:53123")).isTrue();
        assertThat(app.acceptsRedirectUri("http://localhost:53123/")).isTrue();
        assertThat(app.acceptsRedirectUri("http://localhost:53123/other")).isFalse();
        assertThat(app.acceptsRedirectUri("http://127.0.0.1:53123")).isFalse();
        assertThat(app.acceptsRedirectUri("https://localhost:53123")).isFalse();
        assertThat(app.acceptsRedirectUri("http://localhost.attacker.example:53123")).isFalse();
        assertThat(app.acceptsRedirectUri("http://user@localhost:53123")).isFalse();
    }

    @Test
    void givenAnHttpsRedirect_redirectMatching_isExact() {
        AppRegistration app = AppRegistration.confidentialClient("web").withRedirectUris("https://app.example/cb");

        assertThat(app.acceptsRedirectUri("https://app.example/cb")).isTrue();
        assertThat(app.acceptsRedirectUri("https://app.example/cb/")).isFalse();
        assertThat(app.acceptsRedirectUri("https://app.example:8443/cb")).isFalse();
        assertThat(app.acceptsRedirectUri("https://APP.example/cb")).isFalse();
    }

    @Test
    void givenAnHttpRedirectToAnotherHost_registration_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> AppRegistration.publicClient("cli").withRedirectUris("http://app.example/cb"))
                .withMessageContaining("http only for localhost");
    }

    @Test
    void givenAConfidentialClient_toString_neverPrintsTheSecret() {
        AppRegistration app = AppRegistration.confidentialClient("remote");

        assertThat(app.toString()).doesNotContain(app.clientSecret()).contains("(redacted)");
        assertThat(app.clientSecret()).hasSize(40);
        assertThat(AppRegistration.confidentialClient("other").clientSecret()).isNotEqualTo(app.clientSecret());
    }

    @Test
    void givenAPublicClientWithASecret_registration_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> AppRegistration.publicClient("cli").withClientSecret("0123456789abcdefgh"))
                .withMessage("'clientSecret' must be null for a public client");
    }

    @Test
    void givenExposedScopesWithoutAnAppIdUri_registration_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> AppRegistration.publicClient("cli").withExposedScopes("User.Read"))
                .withMessage("'appIdUri' must be set when the app exposes scopes");
    }

    @Test
    void givenAnUpperCaseClientId_registration_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> AppRegistration.publicClient("cli").withClientId("0E3C3F4A-1B2C-4D5E-8F90-A1B2C3D4E5F6"))
                .withMessageContaining("'clientId' must be a lower-case GUID");
    }

    @Test
    void givenANewClientId_withClientId_movesTheDefaultAppIdUriAlong() {
        AppRegistration app = AppRegistration.confidentialClient("remote")
                .withClientId("0e3c3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6");

        assertThat(app.appIdUri()).isEqualTo("api://0e3c3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6");
    }

    @Test
    void givenPermissions_withDelegatedPermissions_replacesOneResourceOnly() {
        AppRegistration app = AppRegistration.confidentialClient("remote")
                .withDelegatedPermissions(EntraEmulator.GRAPH_APP_ID, "User.Read")
                .withDelegatedPermissions("0e3c3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6", "Files.Read")
                .withDelegatedPermissions(EntraEmulator.GRAPH_APP_ID, "Mail.Send");

        assertThat(app.delegatedPermissions()).isEqualTo(Map.of(EntraEmulator.GRAPH_APP_ID, Set.of("Mail.Send"),
                "0e3c3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6", Set.of("Files.Read")));
        assertThat(app.withDelegatedPermissions(EntraEmulator.GRAPH_APP_ID).delegatedPermissions())
                .containsOnlyKeys("0e3c3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6");
        assertThat(app.redirectUris()).isEqualTo(List.of());
    }
}
