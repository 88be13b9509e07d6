package dev.entramcp.archfixture.app.two;

/** Innocent on its own; the target of OneApp's violation. */
public class TwoApp {
}
