/**
 * A deliberately broken hexagon. Every class here exists to violate one of the architecture rules
 * (or, for the "Clean" ones, to prove a rule does not fire on innocent code), so that
 * {@code HexagonRulesBiteTest} can assert that each rule reports exactly these violations.
 * Never import anything from here into real code.
 */
package dev.entramcp.archfixture;
