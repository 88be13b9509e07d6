package dev.entramcp.app.local;

import dev.entramcp.emulator.EntraEmulator;

import java.io.PrintStream;

/** {@code --demo}: the embedded Entra emulator instead of a real tenant, announced loudly on stderr. */
final class DemoMode {

    /** The users of the emulator's default world (see {@code EntraEmulator.Builder}). */
    static final java.util.List<String> DEMO_USERS = java.util.List.of("alice", "bob");

    private DemoMode() {
    }

    static EntraEmulator startEmulator(LocalConfiguration config, PrintStream stderr) {
        EntraEmulator emulator;
        try {
            emulator = EntraEmulator.builder().autoApprove(config.demoUser()).build().start();
        } catch (IllegalArgumentException unknownUser) {
            // the only argument the builder is given here is the user: name the ones the demo knows
            throw new LocalConfiguration.ConfigurationException("Unknown --demo-user '" + config.demoUser()
                    + "'. The demo's users are: " + String.join(", ", DEMO_USERS) + ".");
        }
        stderr.println("""
                ************************************************************************
                *  entra-mcp DEMO MODE: signing in against the embedded Entra EMULATOR  *
                *  at %s, not Microsoft Entra ID.
                *  Demo user: %s (auto-approved). Use --demo-user bob for Mail.Sender.
                *  Development and test only. Never use demo mode for real data.
                ************************************************************************"""
                .formatted(emulator.baseUrl(), config.demoUser()));
        return emulator;
    }
}
