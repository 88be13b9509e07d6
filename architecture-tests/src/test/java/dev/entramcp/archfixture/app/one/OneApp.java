package dev.entramcp.archfixture.app.one;

import dev.entramcp.archfixture.adapter.alpha.AlphaAdapter;
import dev.entramcp.archfixture.app.two.TwoApp;
import dev.entramcp.archfixture.emulator.Emulator;
import io.micronaut.context.ApplicationContext;

/** Violates "apps do not depend on each other"; its adapter, emulator and framework uses are innocent. */
public class OneApp {
    TwoApp other;
    AlphaAdapter adapter;
    Emulator emulator;
    ApplicationContext context;
}
