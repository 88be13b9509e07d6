package dev.entramcp.app.local;

import dev.entramcp.emulator.DemoGroup;
import dev.entramcp.emulator.EntraEmulator;
import dev.entramcp.emulator.Grant;
import dev.entramcp.emulator.GraphRequest;
import dev.entramcp.emulator.SentMail;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.entramcp.app.local.LocalServerProcess.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local scenario end to end: the packaged {@code app-local.jar} in a real subprocess, driven
 * by the SDK's stdio client, signing in as a public client against an Entra emulator running in
 * this JVM (configured exactly as a real tenant would be: tenant, client id, authority, Graph URL
 * and the certificate to trust), with real TLS, real msal4j and a real encrypted token cache.
 *
 * <p>Why not {@code --demo}: a demo starts its own emulator inside the server process, where a test
 * cannot reach it, so an emulator in this JVM is what lets a test count sign-ins, revoke tokens,
 * throttle Graph and read the outbox; and it drives the real-tenant configuration path, which a
 * demo skips. ({@link DemoModeIT} covers {@code --demo} itself.) The emulator's tenant has admin
 * consent for every permission, so the server is started as it would be once an administrator
 * granted {@code GroupMember.Read.All}: with {@code --extra-scopes GroupMember.Read.All}.
 */
class LocalScenarioIT {

    @TempDir
    Path cacheDir;

    private final EntraEmulator emulator = EntraEmulator.builder().autoApprove("alice").build().start();

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    private LocalServerProcess launch() {
        return launch("--extra-scopes", "GroupMember.Read.All");
    }

    private LocalServerProcess launch(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--tenant-id", emulator.tenantId(),
                "--client-id", emulator.apps().local().clientId(),
                "--authority", emulator.authority().toString(),
                "--graph-url", emulator.graphBaseUrl().toString(),
                "--trust-pem", emulator.trustPem().toString(),
                "--cache-dir", cacheDir.toString()));
        args.addAll(List.of(extra));
        return LocalServerProcess.start(args.toArray(String[]::new));
    }

    private int signIns(String user) {
        return emulator.control().counters().signIns(user);
    }

    @Test
    void givenAlice_toolsList_showsWhoamiProfileAndGroupsButNotSendMail() {
        try (LocalServerProcess server = launch()) {
            assertThat(server.toolNames()).containsExactly("whoami", "get_user_profile", "list_my_groups");
        }
    }

    @Test
    void givenNoOptInToAnAdminConsentScope_alice_signsInAndSeesTheToolsOfTheScopesAUserCanConsentTo() {
        try (LocalServerProcess server = launch(new String[0])) {
            assertThat(server.toolNames()).containsExactly("whoami", "get_user_profile");
            assertThat(server.call("whoami", Map.of()).isError()).isFalse();
        }
    }

    // snippet:local-list-my-groups-it
    @Test
    void givenAlice_listMyGroups_returnsHerGroupsFromGraphButNotHerDirectoryRole() {
        List<String> aliceGroupIds = emulator.memberships("alice").stream()
                .filter(group -> group.kind() == DemoGroup.Kind.GROUP).map(DemoGroup::objectId).toList();

        try (LocalServerProcess server = launch()) {
            McpSchema.CallToolResult result = server.call("list_my_groups", Map.of("top", 10));

            assertThat(result.isError()).as(text(result)).isFalse();
            assertThat(text(result)).isEqualTo("""
                    You are a direct member of 2 groups.
                    - All Staff: Everyone in the emulated tenant
                    - Engineering: The people who build entra-mcp""");
            List<?> groups = (List<?>) ((Map<?, ?>) result.structuredContent()).get("groups");
            assertThat(groups.stream().map(group -> ((Map<?, ?>) group).get("id")).toList()).isEqualTo(aliceGroupIds);
        }
        GraphRequest request = emulator.control().graphRequests().stream()
                .filter(r -> r.path().startsWith("/graph/v1.0/me/memberOf")).findFirst().orElseThrow();
        assertThat(request.path()).isEqualTo("/graph/v1.0/me/memberOf?$select=id,displayName,description&$top=10");
        assertThat(request.status()).isEqualTo(200);
        assertThat(request.claim("scp")).get().asString().contains("GroupMember.Read.All");
        assertThat(request.claim("azp")).contains(emulator.apps().local().clientId());
    }
    // end-snippet

    @Test
    void givenTopOutOfRange_listMyGroups_isAnErrorResultAndGraphIsNotCalled() {
        try (LocalServerProcess server = launch()) {
            McpSchema.CallToolResult result = server.call("list_my_groups", Map.of("top", 1000));

            assertThat(result.isError()).isTrue();
        }
        assertThat(emulator.control().graphRequests()).noneMatch(r -> r.path().contains("memberOf"));
    }

    @Test
    void givenBobWithMailSenderRole_toolsList_showsSendMailAndHisMailLandsInTheOutbox() {
        emulator.control().autoApprove("bob");

        try (LocalServerProcess server = launch()) {
            assertThat(server.toolNames()).containsExactly("whoami", "get_user_profile", "send_mail", "list_my_groups");
            McpSchema.CallToolResult result = server.call("send_mail",
                    Map.of("to", List.of("carol@contoso.example"), "subject", "Quarterly report", "body", "Attached \"soon\".\nBob"));

            assertThat(result.isError()).isFalse();
        }
        List<SentMail> outbox = emulator.control().outbox();
        assertThat(outbox).hasSize(1);
        assertThat(outbox.get(0).senderUsername()).startsWith("bob@");
        assertThat(outbox.get(0).to()).containsExactly("carol@contoso.example");
        assertThat(outbox.get(0).subject()).isEqualTo("Quarterly report");
    }

    @Test
    void givenAlice_getUserProfile_returnsHerGraphProfile() {
        try (LocalServerProcess server = launch()) {
            McpSchema.CallToolResult result = server.call("get_user_profile", Map.of());

            assertThat(result.isError()).isFalse();
            assertThat(text(result)).contains(emulator.user("alice").displayName());
            assertThat(((Map<?, ?>) result.structuredContent()).get("id")).isEqualTo(emulator.user("alice").objectId());
        }
    }

    @Test
    void givenAPreviousSignIn_aSecondProcess_reusesTheEncryptedCacheWithoutSigningInAgain() {
        try (LocalServerProcess first = launch()) {
            first.call("get_user_profile", Map.of());
        }
        int signInsAfterFirst = signIns("alice");

        try (LocalServerProcess second = launch()) {
            assertThat(second.call("get_user_profile", Map.of()).isError()).isFalse();
        }

        assertThat(signInsAfterFirst).isEqualTo(1);
        assertThat(signIns("alice")).isEqualTo(1);
        assertThat(cacheDir.resolve("token-cache.bin")).exists();
    }

    @Test
    void givenExpiredAccessToken_toolsCall_refreshesSilentlyWithoutANewSignIn() {
        // msal4j treats a token within 5 minutes of expiry as expired, so 2 minutes forces a refresh.
        emulator.control().setAccessTokenLifetime(Duration.ofMinutes(2));
        try (LocalServerProcess server = launch()) {
            server.call("get_user_profile", Map.of());
            int refreshesBefore = emulator.control().counters().tokenRequests(Grant.REFRESH_TOKEN);

            assertThat(server.call("get_user_profile", Map.of()).isError()).isFalse();

            assertThat(emulator.control().counters().tokenRequests(Grant.REFRESH_TOKEN)).isGreaterThan(refreshesBefore);
            assertThat(signIns("alice")).isEqualTo(1);
        }
    }

    @Test
    void givenRevokedRefreshTokens_toolsCall_promptsANewSignInAndThenSucceeds() {
        emulator.control().setAccessTokenLifetime(Duration.ofMinutes(2));
        try (LocalServerProcess server = launch()) {
            server.call("get_user_profile", Map.of());
            emulator.control().revokeRefreshTokens("alice");
            int promptsBefore = server.logs.size();

            McpSchema.CallToolResult result = server.call("get_user_profile", Map.of());

            assertThat(result.isError()).isFalse();
            assertThat(signIns("alice")).isEqualTo(2);
            assertThat(server.logsOnceMoreThan(promptsBefore)).as("a second sign-in prompt reached the client").isGreaterThan(promptsBefore);
        }
    }

    @Test
    void givenCorruptedCacheFile_theServer_warnsAndSignsInAfresh() throws Exception {
        try (LocalServerProcess first = launch()) {
            first.call("whoami", Map.of());
        }
        Path cache = cacheDir.resolve("token-cache.bin");
        byte[] bytes = Files.readAllBytes(cache);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(cache, bytes);

        try (LocalServerProcess second = launch()) {
            assertThat(second.call("get_user_profile", Map.of()).isError()).isFalse();
            assertThat(second.stderrOnceItContains("cannot be read", "Starting with an empty cache"))
                    .contains("cannot be read").contains("Starting with an empty cache: you will be asked to sign in again");
        }
        assertThat(signIns("alice")).isEqualTo(2);
    }

    @Test
    void givenGraphThrottlingOnce_getUserProfile_retriesAfterRetryAfterAndSucceeds() {
        try (LocalServerProcess server = launch()) {
            server.call("whoami", Map.of());
            emulator.control().failGraph(1, 429, Duration.ofSeconds(1));

            McpSchema.CallToolResult result = server.call("get_user_profile", Map.of());

            assertThat(result.isError()).isFalse();
            assertThat(emulator.control().graphRequests()).hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void givenAliceWithoutRole_sendMail_isAnErrorResultNamingTheRole() {
        try (LocalServerProcess server = launch()) {
            McpSchema.CallToolResult result = server.call("send_mail",
                    Map.of("to", List.of("carol@contoso.example"), "subject", "Hi", "body", "x"));

            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("missing app role Mail.Sender");
        }
        assertThat(emulator.control().outbox()).isEmpty();
    }

    @Test
    void givenSigTerm_theServer_leavesAConsistentCacheForTheNextProcess() throws Exception {
        List<String> command = new ArrayList<>(List.of(LocalServerProcess.javaExecutable(), "-jar", LocalServerProcess.JAR.toString(),
                "--tenant-id", emulator.tenantId(), "--client-id", emulator.apps().local().clientId(),
                "--authority", emulator.authority().toString(), "--graph-url", emulator.graphBaseUrl().toString(),
                "--trust-pem", emulator.trustPem().toString(), "--cache-dir", cacheDir.toString(), "--sign-in", "device-code"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (RawStdio raw = new RawStdio(process)) {
            raw.initialize();
            raw.request(2, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}");
            process.destroy();
            assertThat(process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }

        try (LocalServerProcess next = launch()) {
            assertThat(next.call("get_user_profile", Map.of()).isError()).isFalse();
        }
        assertThat(signIns("alice")).isEqualTo(1);
    }
}
