package dev.entramcp.app.local;

import dev.entramcp.emulator.EntraEmulator;

import java.io.PrintStream;

/** {@code --demo}: the embedded Entra emulator instead of a real tenant, announced loudly on stderr. */
final class DemoMode {

    private DemoMode() {
    }

    static EntraEmulator startEmulator(LocalConfiguration config, PrintStream stderr) {
        EntraEmulator emulator = EntraEmulator.builder().autoApprove(config.demoUser()).build().start();
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
