package dev.entramcp.app.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar app-local.jar --demo}, as an MCP client starts it: the embedded emulator signs
 * the demo user in on its own, and stderr says loudly that this is a demo.
 */
class DemoModeIT {

    @Test
    void givenDemo_toolsList_showsAlicesToolsAndTheDemoBanner() {
        try (LocalServerProcess server = LocalServerProcess.start("--demo")) {
            assertThat(server.toolNames()).containsExactly("whoami", "get_user_profile", "list_my_groups");
            assertThat(server.stderrOnceItContains("Demo user: alice")).contains("entra-mcp DEMO MODE").contains("Demo user: alice");
        }
    }

    @Test
    void givenDemoUserBob_toolsList_showsSendMail() {
        try (LocalServerProcess server = LocalServerProcess.start("--demo", "--demo-user", "bob")) {
            assertThat(server.toolNames()).containsExactly("whoami", "get_user_profile", "send_mail", "list_my_groups");
            assertThat(server.stderrOnceItContains("Demo user: bob")).contains("Demo user: bob");
        }
    }
}
