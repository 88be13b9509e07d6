package dev.entramcp.app.remote;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class MissingConfigurationTest {

    private static final String TENANT = "11111111-2222-3333-4444-555555555555";
    private static final String CLIENT = "66666666-7777-8888-9999-000000000000";

    private static Properties properties(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void givenNothing_find_namesTheThreeAzureStyleVariablesInOrder() {
        List<String> missing = MissingConfiguration.find(Map.of(), new Properties(), List.of());

        assertThat(missing).containsExactly("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "ENTRA_MCP_PUBLIC_BASE_URL");
    }

    @Test
    void givenTheAzureStyleVariables_find_namesNothing() {
        Map<String, String> env = Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", CLIENT,
                "ENTRA_MCP_PUBLIC_BASE_URL", "https://mcp.example.com");

        assertThat(MissingConfiguration.find(env, new Properties(), List.of())).isEmpty();
    }

    @Test
    void givenMicronautsOwnVariableNames_find_acceptsThemToo() {
        Map<String, String> env = Map.of("ENTRAMCP_AUTH_TENANT_ID", TENANT, "ENTRAMCP_AUTH_CLIENT_ID", CLIENT,
                "ENTRAMCP_HTTP_PUBLIC_BASE_URL", "https://mcp.example.com");

        assertThat(MissingConfiguration.find(env, new Properties(), List.of())).isEmpty();
    }

    @Test
    void givenSystemProperties_find_acceptsThem() {
        Properties properties = properties("entramcp.auth.tenant-id", TENANT, "entramcp.auth.client-id", CLIENT,
                "entramcp.http.public-base-url", "https://mcp.example.com");

        assertThat(MissingConfiguration.find(Map.of(), properties, List.of())).isEmpty();
    }

    @Test
    void givenCommandLineArguments_find_acceptsThemAsMicronautDoes() {
        List<String> arguments = List.of("-entramcp.auth.tenant-id=" + TENANT, "--entramcp.auth.client-id=" + CLIENT,
                "-entramcp.http.public-base-url=https://mcp.example.com");

        assertThat(MissingConfiguration.find(Map.of(), new Properties(), arguments)).isEmpty();
    }

    @Test
    void givenBlankValues_find_countsThemAsMissing() {
        Map<String, String> env = Map.of("AZURE_TENANT_ID", "  ", "AZURE_CLIENT_ID", CLIENT);
        List<String> arguments = List.of("-entramcp.http.public-base-url=");

        assertThat(MissingConfiguration.find(env, new Properties(), arguments))
                .containsExactly("AZURE_TENANT_ID", "ENTRA_MCP_PUBLIC_BASE_URL");
    }

    @Test
    void givenAnArgumentForAnotherKeyThatStartsTheSame_find_doesNotMistakeIt() {
        List<String> arguments = List.of("-entramcp.auth.tenant-id-hint=" + TENANT, "-xentramcp.auth.client-id=" + CLIENT);

        assertThat(MissingConfiguration.find(Map.of(), new Properties(), arguments))
                .containsExactly("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "ENTRA_MCP_PUBLIC_BASE_URL");
    }

    @Test
    void givenConfigurationFilesThisCheckCannotRead_find_standsAsideForTheStartupValidation() {
        assertThat(MissingConfiguration.find(Map.of("MICRONAUT_CONFIG_FILES", "/etc/entra-mcp/prod.yml"), new Properties(), List.of()))
                .isEmpty();
        assertThat(MissingConfiguration.find(Map.of(), properties("micronaut.config.files", "/etc/entra-mcp/prod.yml"), List.of()))
                .isEmpty();
        assertThat(MissingConfiguration.find(Map.of(), new Properties(), List.of("-micronaut.config.files=/etc/entra-mcp/prod.yml")))
                .isEmpty();
    }
}
