package dev.entramcp.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The test switches refuse nonsense and mint what they promise. */
class EmulatorControlTest {

    private static EntraEmulator emu;

    @BeforeAll
    static void start() {
        emu = EntraEmulator.start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @Test
    void givenAnUnknownUser_autoApprove_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> emu.control().autoApprove("mallory"))
                .withMessage("no user 'mallory' in the emulated tenant");
    }

    @Test
    void givenAnyName_autoApprove_remembersTheShortName() {
        emu.control().autoApprove("alice@entra-emulator.test");

        assertThat(emu.control().autoApprovedUser()).contains("alice");
        emu.control().autoApprove(null);
        assertThat(emu.control().autoApprovedUser()).isEmpty();
    }

    @Test
    void givenAnUnknownUser_requireMfa_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> emu.control().requireMfa("mallory"))
                .withMessage("no user 'mallory' in the emulated tenant");
    }

    @Test
    void givenAnMfaRequirement_clearing_reportsWhetherThereWasOne() {
        String first = emu.control().requireMfa("bob@entra-emulator.test");
        String second = emu.control().requireMfa("bob");

        assertThat(second).isNotEqualTo(first);
        assertThat(emu.control().clearMfaRequirement("bob")).isTrue();
        assertThat(emu.control().clearMfaRequirement("bob")).isFalse();
    }

    @Test
    void givenASuccessStatus_failGraph_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> emu.control().failGraph(1, 200, null))
                .withMessageContaining("'status' must be one of");
    }

    @Test
    void givenAZeroLifetime_setAccessTokenLifetime_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> emu.control().setAccessTokenLifetime(Duration.ZERO));
    }

    @Test
    void givenABareResource_issueAccessToken_grantsWhatTheClientMayHave() {
        String token = emu.control().issueAccessToken("bob", emu.apps().demo().clientId(),
                emu.apps().remote().appIdUri());

        Map<String, Object> claims = Fixtures.claims(token);
        assertThat(claims).containsEntry("aud", emu.apps().remote().clientId())
                .containsEntry("azp", emu.apps().demo().clientId()).containsEntry("azpacr", "0")
                .containsEntry("roles", List.of("Mail.Sender"));
        assertThat(((String) claims.get("scp")).split(" ")).containsExactlyInAnyOrder("Mail.Send", "User.Read",
                "GroupMember.Read.All");
    }

    @Test
    void givenExplicitScopes_issueAccessToken_grantsExactlyThose() {
        Map<String, Object> claims = Fixtures.claims(emu.control().issueAccessToken("alice",
                emu.apps().local().clientId(), "https://graph.microsoft.com/User.Read"));

        assertThat(claims).containsEntry("scp", "User.Read").containsEntry("aud", EntraEmulator.GRAPH_APP_ID)
                .doesNotContainKey("roles");
    }

    @Test
    void givenTheSameUser_tokensForDifferentAudiences_haveDifferentSubjectsButTheSameOid() {
        Map<String, Object> graph = Fixtures.claims(emu.control().issueAccessToken("alice",
                emu.apps().local().clientId(), "User.Read"));
        Map<String, Object> api = Fixtures.claims(emu.control().issueAccessToken("alice",
                emu.apps().demo().clientId(), emu.apps().remote().appIdUri() + "/User.Read"));

        assertThat(graph.get("oid")).isEqualTo(api.get("oid"));
        assertThat(graph.get("sub")).isNotEqualTo(api.get("sub"));
    }

    @Test
    void givenAnUnknownScope_issueAccessToken_explainsWithTheAadstsMessage() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> emu.control().issueAccessToken("alice", emu.apps().local().clientId(), "Nope.Nope"))
                .withMessageStartingWith("AADSTS650053");
    }

    @Test
    void givenAnUnknownUserForAutoApproval_builder_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> EntraEmulator.builder().autoApprove("mallory").build())
                .withMessage("'autoApprove' names no user: mallory");
    }

    @Test
    void givenTwoAppsWithOneClientId_builder_isRefusedBeforeAnythingStarts() {
        AppRegistration twin = AppRegistration.publicClient("twin").withClientId("0e3c3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6");

        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> EntraEmulator.builder().app(twin).app(twin.withDisplayName("other")).build())
                .withMessage("two apps share the client id 0e3c3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6");
    }

    @Test
    void givenAFixedTenant_builder_usesItEverywhere() {
        try (EntraEmulator fixed = EntraEmulator.builder().tenantId("7d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a")
                .build().start()) {
            assertThat(fixed.authority().toString()).endsWith("/7d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a");
            assertThat(fixed.issuer().toString()).endsWith("/7d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a/v2.0");
        }
    }
}
