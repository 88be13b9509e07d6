package dev.entramcp.adapter.entra;

import dev.entramcp.adapter.entra.cache.CacheKeyPolicy;
import dev.entramcp.adapter.entra.cache.TokenCacheConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The plain configuration records the apps wire this adapter with: choices, defaults, refusals. */
class ConfigurationTest {

    @Test
    void givenAnUnknownCredentialKind_of_listsTheKinds() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> ClientCredentialConfig.of("password", name -> null))
                .withMessage("Unknown client credential kind 'password': use one of secret, certificate, federated, managed-identity");
    }

    @Test
    void givenEachCredentialKind_of_readsTheSettingsItNeeds(@TempDir Path dir) throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("azure-identity-token"), "a-federated-token");
        Map<String, String> settings = Map.of(
                "AZURE_CLIENT_SECRET", "s3cr3t",
                "AZURE_CLIENT_CERTIFICATE_PATH", "/etc/entra/server.p12",
                "AZURE_CLIENT_CERTIFICATE_PASSWORD", "pw",
                "AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString(),
                "AZURE_MANAGED_IDENTITY_CLIENT_ID", "9a9a9a9a-0000-0000-0000-000000000009");

        assertThat(ClientCredentialConfig.of("secret", settings::get)).isEqualTo(new ClientCredentialConfig.ClientSecret("s3cr3t"));
        assertThat(ClientCredentialConfig.of("certificate", settings::get))
                .isEqualTo(new ClientCredentialConfig.Certificate(Path.of("/etc/entra/server.p12"), Optional.of("pw")));
        assertThat(ClientCredentialConfig.of("federated", settings::get))
                .isEqualTo(new ClientCredentialConfig.FederatedToken(tokenFile));
        assertThat(ClientCredentialConfig.of("Managed-Identity", settings::get))
                .isEqualTo(new ClientCredentialConfig.ManagedIdentity(Optional.of("9a9a9a9a-0000-0000-0000-000000000009")));
        assertThat(ClientCredentialConfig.of("managed-identity", name -> null))
                .isEqualTo(new ClientCredentialConfig.ManagedIdentity(Optional.empty()));
    }

    @Test
    void givenAMissingSetting_of_namesIt() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> ClientCredentialConfig.of("federated", name -> null))
                .withMessage("Client credential 'federated' needs the setting AZURE_FEDERATED_TOKEN_FILE");
    }

    @Test
    void givenAFederatedTokenFileThatIsMissingOrADirectory_of_refusesNamingTheSetting(@TempDir Path dir) {
        for (Path unreadable : List.of(dir.resolve("missing-token"), dir)) {
            assertThatExceptionOfType(IllegalArgumentException.class)
                    .isThrownBy(() -> ClientCredentialConfig.of("federated", name ->
                            "AZURE_FEDERATED_TOKEN_FILE".equals(name) ? unreadable.toString() : null))
                    .withMessage("Client credential 'federated': AZURE_FEDERATED_TOKEN_FILE names " + unreadable
                            + ", which is not a readable file; mount the workload identity token there or correct "
                            + "AZURE_FEDERATED_TOKEN_FILE");
        }
    }

    @Test
    void givenSecrets_toString_masksThem() {
        assertThat(new ClientCredentialConfig.ClientSecret("s3cr3t").toString()).doesNotContain("s3cr3t");
        assertThat(new ClientCredentialConfig.Certificate(Path.of("/x.p12"), Optional.of("pw")).toString()).doesNotContain("pw");
        assertThat(PkceVerifier.random().toString()).isEqualTo("PkceVerifier[***]");
    }

    @Test
    void givenUnknownModesAndPolicies_parse_listsTheAcceptedValues() {
        assertThat(SignInMode.parse(" Device-Code ")).isEqualTo(SignInMode.DEVICE_CODE);
        assertThat(CacheKeyPolicy.parse("file")).isEqualTo(CacheKeyPolicy.KEY_FILE);
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> SignInMode.parse("popup"))
                .withMessage("Unknown sign-in mode 'popup': use one of auto, browser, device-code");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> CacheKeyPolicy.parse("plaintext"))
                .withMessage("Unknown token cache key policy 'plaintext': use one of auto, keyring, env, file");
    }

    @Test
    void givenAnHttpAuthority_construction_isRefusedAsMsal4jWould() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> EntraAuthority.local(URI.create("http://localhost:8080"), "contoso.onmicrosoft.com"))
                .withMessageContaining("https");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> EntraAuthority.cloud(URI.create("https://login.microsoftonline.us/tenant"), "tenant"))
                .withMessageContaining("tenant is separate");
    }

    @Test
    void givenAnAuthority_itsUrlsFollowEntrasLayout() {
        EntraAuthority authority = EntraAuthority.publicCloud("11111111-2222-3333-4444-555555555555");

        assertThat(authority.url()).isEqualTo("https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/");
        assertThat(authority.tokenEndpoint()).hasPath("/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token");
        assertThat(authority.instanceDiscovery()).isTrue();
        assertThat(EntraAuthority.local(URI.create("https://localhost:8443/"), "t").instanceDiscovery()).isFalse();
        assertThat(authority.adminConsentUrl("cid", List.of("https://graph.microsoft.com/User.Read", "https://graph.microsoft.com/Mail.Send")))
                .hasToString("https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0/adminconsent"
                        + "?client_id=cid&scope=https%3A%2F%2Fgraph.microsoft.com%2FMail.Send%20https%3A%2F%2Fgraph.microsoft.com%2FUser.Read");
    }

    @Test
    void givenScopesFromEntra_granted_dropsResourcePrefixesAndFallsBackToTheRequestedOnes() {
        assertThat(GrantedScopes.granted("https://graph.microsoft.com/User.Read Mail.Send openid", List.of("x")))
                .containsExactly("Mail.Send", "User.Read", "openid");
        assertThat(GrantedScopes.granted(null, List.of("https://graph.microsoft.com/User.Read"))).containsExactly("User.Read");
        assertThat(GrantedScopes.qualified(List.of("User.Read", "api://other/Scope"), "https://graph.microsoft.com"))
                .containsExactly("https://graph.microsoft.com/User.Read", "api://other/Scope");
    }

    @Test
    void givenANonLoopbackRedirect_publicClientConfig_refusesIt() {
        PublicClientConfig config = PublicClientConfig.of("cid", EntraAuthority.publicCloud("organizations"));

        assertThat(config.scopes()).containsExactlyInAnyOrder("User.Read", "Mail.Send");
        assertThat(config.signInMode()).isEqualTo(SignInMode.AUTO);
        assertThat(config.signInWait()).hasSeconds(45);
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new PublicClientConfig("cid", config.authority(), config.scopes(), SignInMode.AUTO,
                        config.signInWait(), URI.create("https://evil.example/callback"), config.interactiveTimeout(), Optional.empty()))
                .withMessageContaining("loopback");
    }

    @Test
    void givenACachePath_tokenCacheConfig_putsKeyAndLockBesideIt() {
        TokenCacheConfig config = TokenCacheConfig.at(Path.of("/home/alice/.entra-mcp/msal.cache"));

        assertThat(config.keyFile()).isEqualTo(Path.of("/home/alice/.entra-mcp/msal.cache.key"));
        assertThat(config.lockFile()).isEqualTo(Path.of("/home/alice/.entra-mcp/msal.cache.lock"));
        assertThat(config.keyPolicy()).isEqualTo(CacheKeyPolicy.AUTO);
        assertThat(config.keyEnvironmentVariable()).isEqualTo("ENTRA_MCP_CACHE_KEY");
    }
}
