package dev.entramcp.archfixture.adapter.beta;

import dev.entramcp.archfixture.app.one.OneApp;
import dev.entramcp.archfixture.emulator.Emulator;

/** Violates "adapters do not depend on apps" and "only apps start the emulator". */
public class BetaAdapter {
    OneApp app;
    Emulator emulator;
}
