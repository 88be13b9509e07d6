package dev.entramcp.app.local;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LocalConfigurationTest {

    @Test
    void givenNoTenantAndNoDemo_from_failsFastSayingWhatToSet() {
        assertThatExceptionOfType(LocalConfiguration.ConfigurationException.class)
                .isThrownBy(() -> LocalConfiguration.from(new String[0], Map.of()))
                .withMessageContaining("AZURE_TENANT_ID (or --tenant-id) and AZURE_CLIENT_ID (or --client-id)")
                .withMessageContaining("--demo");
    }

    @Test
    void givenOnlyTheClientId_from_namesTheOneThatIsMissing() {
        assertThatExceptionOfType(LocalConfiguration.ConfigurationException.class)
                .isThrownBy(() -> LocalConfiguration.from(new String[0], Map.of("AZURE_CLIENT_ID", "c")))
                .withMessageStartingWith("Missing configuration: set AZURE_TENANT_ID (or --tenant-id) to");
    }

    @Test
    void givenEnvironment_from_usesThePublicCloudAuthorityForTheTenant() {
        LocalConfiguration config = LocalConfiguration.from(new String[0], Map.of("AZURE_TENANT_ID", "t-1", "AZURE_CLIENT_ID", "c-1"));

        assertThat(config.demo()).isFalse();
        assertThat(config.effectiveAuthority()).isEqualTo(URI.create("https://login.microsoftonline.com/t-1"));
        assertThat(config.graphBaseUrl()).isEqualTo(URI.create("https://graph.microsoft.com/v1.0"));
    }

    @Test
    void givenFlags_from_overrideTheEnvironment() {
        LocalConfiguration config = LocalConfiguration.from(
                new String[]{"--tenant-id", "t-2", "--client-id", "c-2", "--sign-in", "device-code", "--cache-dir", "/tmp/x"},
                Map.of("AZURE_TENANT_ID", "t-1", "AZURE_CLIENT_ID", "c-1"));

        assertThat(config.tenantId()).contains("t-2");
        assertThat(config.signInMode()).isEqualTo("device-code");
        assertThat(config.cacheDir()).hasToString("/tmp/x");
    }

    @Test
    void givenDemo_from_needsNoTenant() {
        LocalConfiguration config = LocalConfiguration.from(new String[]{"--demo", "--demo-user", "bob"}, Map.of());

        assertThat(config.demo()).isTrue();
        assertThat(config.demoUser()).isEqualTo("bob");
        assertThat(config.tenantId()).isEmpty();
    }

    @Test
    void givenPlainHttpAuthority_from_isRefused() {
        assertThatExceptionOfType(LocalConfiguration.ConfigurationException.class)
                .isThrownBy(() -> LocalConfiguration.from(new String[]{"--demo", "--authority", "http://login.example/t"}, Map.of()))
                .withMessageContaining("must be an https URL");
    }

    @Test
    void givenUnknownSignInMode_from_listsTheAllowedOnes() {
        assertThatExceptionOfType(LocalConfiguration.ConfigurationException.class)
                .isThrownBy(() -> LocalConfiguration.from(new String[]{"--demo", "--sign-in", "telepathy"}, Map.of()))
                .withMessage("Unknown sign-in mode 'telepathy'. Use one of: auto, browser, device-code.");
    }

    @Test
    void givenUnknownFlag_from_showsUsage() {
        assertThatExceptionOfType(LocalConfiguration.ConfigurationException.class)
                .isThrownBy(() -> LocalConfiguration.from(new String[]{"--dmeo"}, Map.of()))
                .withMessageContaining("Unknown option '--dmeo'").withMessageContaining("Usage:");
    }
    @Test
    void givenNoExtraScopes_from_optsInToNoAdminConsentScope() {
        LocalConfiguration config = LocalConfiguration.from(new String[0], Map.of("AZURE_TENANT_ID", "t", "AZURE_CLIENT_ID", "c"));

        assertThat(config.extraScopes()).isEmpty();
        assertThat(config.signInWait()).hasSeconds(45);
    }

    @Test
    void givenExtraScopesInTheEnvironmentAndAWaitFlag_from_readsBoth() {
        LocalConfiguration config = LocalConfiguration.from(new String[]{"--sign-in-wait", "10"},
                Map.of("AZURE_TENANT_ID", "t", "AZURE_CLIENT_ID", "c", "ENTRA_MCP_EXTRA_SCOPES", " GroupMember.Read.All, "));

        assertThat(config.extraScopes()).containsExactly("GroupMember.Read.All");
        assertThat(config.signInWait()).hasSeconds(10);
    }

    @Test
    void givenASignInWaitThatIsNotANumber_from_isRefused() {
        assertThatExceptionOfType(LocalConfiguration.ConfigurationException.class)
                .isThrownBy(() -> LocalConfiguration.from(new String[]{"--demo"}, Map.of("ENTRA_MCP_SIGN_IN_WAIT", "soon")))
                .withMessageContaining("'soon' must be a whole number of seconds");
    }
}
