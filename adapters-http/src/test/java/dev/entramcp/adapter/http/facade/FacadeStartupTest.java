package dev.entramcp.adapter.http.facade;

import dev.entramcp.adapter.http.support.RawMcp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Starting and restarting in facade mode: with the durable store a restart loses no registered
 * client, no grant and no signing key; a configuration that would lose them, or point clients
 * elsewhere, stops the server at start with a message saying what to set.
 */
class FacadeStartupTest {

    @TempDir
    Path temp;

    private static String storeKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "k1:" + Base64.getEncoder().encodeToString(key);
    }

    private Map<String, Object> durable(Path directory, String key, int port) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("entramcp.facade.store.type", "file");
        properties.put("entramcp.facade.store.directory", directory.toString());
        properties.put("entramcp.facade.store.keys", key);
        properties.put("micronaut.server.port", port);
        properties.put("entramcp.http.public-base-url", "http://localhost:" + port);
        return properties;
    }

    @Test
    void givenTheDurableStore_aRestart_keepsTheClientTheGrantAndTheSigningKey() throws Exception {
        Path directory = temp.resolve("store");
        String key = storeKey();
        int port = FacadeTestServer.freePort();
        OAuthTestClient.Client registered;
        OAuthTestClient.Tokens tokens;
        try (FacadeTestServer first = FacadeTestServer.start(durable(directory, key, port), false)) {
            OAuthTestClient client = new OAuthTestClient(first.url());
            OAuthTestClient.Discovery discovery = client.discover();
            registered = client.registerPublicClient(discovery);
            tokens = client.signIn(discovery, registered, first.upstream(), FacadeUsers.aUser("Quinn"), "User.Read");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.walk(directory)) {
            assertThat(files.filter(Files::isRegularFile).map(FacadeStartupTest::content))
                    .noneMatch(content -> content.contains(tokens.refreshToken()) || content.contains("entra-refresh")
                            || content.contains("Test MCP client"));
        }

        // Same public URL (so the same issuer), a new listening port: the old port may linger in TIME_WAIT.
        Map<String, Object> restarted = durable(directory, key, FacadeTestServer.freePort());
        restarted.put("entramcp.http.public-base-url", "http://localhost:" + port);
        try (FacadeTestServer second = FacadeTestServer.start(restarted, false)) {
            OAuthTestClient client = new OAuthTestClient(second.url());

            assertThat(second.mcp().raw().post("/mcp", tokens.accessToken(), RawMcp.INITIALIZE).statusCode()).isEqualTo(200);
            HttpResponse<String> refreshed = client.postForm(second.url().resolve("/token"), Map.of("grant_type", "refresh_token",
                    "refresh_token", tokens.refreshToken(), "client_id", registered.clientId()));
            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            HttpResponse<String> consent = client.get(URI.create(second.url() + "/authorize?response_type=code&client_id="
                    + registered.clientId() + "&redirect_uri=" + registered.redirectUri() + "&code_challenge="
                    + OAuthTestClient.Pkce.fresh().challenge() + "&code_challenge_method=S256&state=s&scope=User.Read"));
            assertThat(consent.statusCode()).isEqualTo(200);
        }
    }

    private static String content(Path file) {
        try {
            return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void givenADurableStoreWithoutAKey_start_isRefusedNamingTheSetting() {
        Map<String, Object> properties = durable(temp.resolve("keyless"), "", 0);
        properties.remove("entramcp.facade.store.keys");
        properties.remove("micronaut.server.port");
        properties.remove("entramcp.http.public-base-url");

        assertThatThrownBy(() -> FacadeTestServer.start(properties, false).close())
                .hasStackTraceContaining("ENTRAMCP_FACADE_STORE_KEYS");
    }

    @Test
    void givenTheStoreReopenedWithAnotherKey_start_isRefusedRatherThanSigningEveryoneOut() throws Exception {
        Path directory = temp.resolve("rekeyed");
        int port = FacadeTestServer.freePort();
        FacadeTestServer.start(durable(directory, storeKey(), port), false).close();

        assertThatThrownBy(() -> FacadeTestServer.start(durable(directory, storeKey(), FacadeTestServer.freePort()), false).close())
                .hasStackTraceContaining("cannot be opened with the configured store keys");
    }

    @Test
    void givenARequestLimitOfZero_start_isRefusedNamingTheSetting() {
        assertThatThrownBy(() -> FacadeTestServer.start(Map.of("entramcp.facade.limits.token-per-minute", 0,
                "entramcp.facade.cimd.max-concurrent-fetches", 0), false).close())
                .hasStackTraceContaining("entramcp.facade.limits.token-per-minute must be between 1 and")
                .hasStackTraceContaining("entramcp.facade.cimd.max-concurrent-fetches must be between 1 and");
    }

    /**
     * Fetching metadata documents from loopback addresses is for a server that itself runs on this
     * machine (the demo, these tests, both on a localhost public base URL); on a real host it would
     * let anyone aim the server at its own loopback services, so it stops the start.
     */
    @Test
    void givenLoopbackMetadataDocumentsAllowedOnARealHost_start_isRefusedNamingTheSetting() {
        assertThatThrownBy(() -> FacadeTestServer.start(Map.of("entramcp.http.public-base-url", "https://mcp.example.test",
                "entramcp.facade.cimd.allow-loopback", "true"), false).close())
                .hasStackTraceContaining("entramcp.facade.cimd.allow-loopback may be true only when this server itself runs "
                        + "on this machine");
    }

    @Test
    void givenAuthorizationServersPointingAtEntra_start_isRefusedInFacadeMode() {
        assertThatThrownBy(() -> FacadeTestServer.start(Map.of("entramcp.auth.authorization-servers",
                "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0"), false).close())
                .hasStackTraceContaining("authorization-servers must be unset");
    }
}
