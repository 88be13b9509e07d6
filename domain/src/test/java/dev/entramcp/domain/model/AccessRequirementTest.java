package dev.entramcp.domain.model;

import dev.entramcp.domain.fixtures.Callers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;
import java.util.stream.Stream;

import static dev.entramcp.domain.fixtures.Callers.aCaller;
import static dev.entramcp.domain.fixtures.Callers.anApplication;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AccessRequirementTest {

    private static final AccessRequirement ANYONE = AccessRequirement.anyAuthenticatedCaller();
    private static final AccessRequirement USER_ONLY = AccessRequirement.signedInUser();
    private static final AccessRequirement ALL_SCOPES = AccessRequirement.signedInUser().withAllScopes("Mail.Send", "User.Read");
    private static final AccessRequirement ANY_SCOPE = AccessRequirement.signedInUser().withAnyScope("Mail.Read", "Mail.ReadWrite");
    private static final AccessRequirement SCOPE_AND_ROLE = AccessRequirement.signedInUser().withAllScopes("Mail.Send").withAllRoles("Mail.Sender");
    private static final AccessRequirement ANY_ROLE = AccessRequirement.signedInUser().withAnyRole("Admin", "Auditor");
    private static final AccessRequirement ALL_ROLES = AccessRequirement.signedInUser().withAllRoles("Admin", "Auditor");
    private static final AccessRequirement APPS_WITH_ROLE = AccessRequirement.signedInUser().withAllScopes("Reports.Read").withAllRoles("Reports.Reader").allowingApplications();

    /** requirement, caller, expected missing scopes, expected missing roles, app-only refused */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("anyone / user", ANYONE, aCaller().build(), Set.of(), Set.of(), false, true),
                Arguments.of("anyone / application", ANYONE, anApplication().build(), Set.of(), Set.of(), false, true),
                Arguments.of("user only / application", USER_ONLY, anApplication().build(), Set.of(), Set.of(), true, false),
                Arguments.of("all scopes / has both", ALL_SCOPES, aCaller().withScopes("User.Read", "Mail.Send").build(), Set.of(), Set.of(), false, true),
                Arguments.of("all scopes / has one", ALL_SCOPES, aCaller().withScopes("User.Read").build(), Set.of("Mail.Send"), Set.of(), false, false),
                Arguments.of("all scopes / has none", ALL_SCOPES, aCaller().build(), Set.of("Mail.Send", "User.Read"), Set.of(), false, false),
                Arguments.of("any scope / has one", ANY_SCOPE, aCaller().withScopes("Mail.ReadWrite").build(), Set.of(), Set.of(), false, true),
                Arguments.of("any scope / has none", ANY_SCOPE, aCaller().withScopes("User.Read").build(), Set.of("Mail.Read", "Mail.ReadWrite"), Set.of(), false, false),
                Arguments.of("scope and role / has both", SCOPE_AND_ROLE, aCaller().withScopes("Mail.Send").withRoles("Mail.Sender").build(), Set.of(), Set.of(), false, true),
                Arguments.of("scope and role / scope only", SCOPE_AND_ROLE, aCaller().withScopes("Mail.Send").build(), Set.of(), Set.of("Mail.Sender"), false, false),
                Arguments.of("scope and role / role only", SCOPE_AND_ROLE, aCaller().withRoles("Mail.Sender").build(), Set.of("Mail.Send"), Set.of(), false, false),
                Arguments.of("scope and role / neither", SCOPE_AND_ROLE, aCaller().build(), Set.of("Mail.Send"), Set.of("Mail.Sender"), false, false),
                Arguments.of("scope and role / application with role", SCOPE_AND_ROLE, anApplication().withRoles("Mail.Sender").build(), Set.of(), Set.of(), true, false),
                Arguments.of("any role / has one", ANY_ROLE, aCaller().withRoles("Auditor").build(), Set.of(), Set.of(), false, true),
                Arguments.of("any role / has none", ANY_ROLE, aCaller().withRoles("Reader").build(), Set.of(), Set.of("Admin", "Auditor"), false, false),
                Arguments.of("all roles / has both", ALL_ROLES, aCaller().withRoles("Auditor", "Admin").build(), Set.of(), Set.of(), false, true),
                Arguments.of("all roles / holds one of two", ALL_ROLES, aCaller().withRoles("Auditor").build(), Set.of(), Set.of("Admin"), false, false),
                Arguments.of("apps with role / application with role", APPS_WITH_ROLE, anApplication().withRoles("Reports.Reader").build(), Set.of(), Set.of(), false, true),
                Arguments.of("apps with role / application without role", APPS_WITH_ROLE, anApplication().build(), Set.of(), Set.of("Reports.Reader"), false, false),
                Arguments.of("apps with role / user with scope but no role", APPS_WITH_ROLE, aCaller().withScopes("Reports.Read").build(), Set.of(), Set.of("Reports.Reader"), false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void givenRequirementAndCaller_evaluate_namesExactlyWhatIsMissing(String name, AccessRequirement requirement,
            CallerIdentity caller, Set<String> missingScopes, Set<String> missingRoles, boolean appOnlyRefused,
            boolean allowed) {

        Decision decision = requirement.evaluate(caller);

        assertThat(decision.isAllowed()).isEqualTo(allowed);
        if (decision instanceof Decision.Denied denied) {
            assertThat(denied.missingScopes()).containsExactlyInAnyOrderElementsOf(missingScopes);
            assertThat(denied.missingRoles()).containsExactlyInAnyOrderElementsOf(missingRoles);
            assertThat(denied.appOnlyRefused()).isEqualTo(appOnlyRefused);
            assertThat(denied.requiredScopes()).isEqualTo(requirement.scopes());
        }
    }

    @Test
    void givenAppsAllowedAndScopesRequiredButNoRoles_construct_isRefusedBecauseAnyAppWouldPass() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> AccessRequirement.signedInUser().withAllScopes("Mail.Send").allowingApplications())
                .withMessageContaining("'roles' must not be empty");
    }

    @Test
    void givenNoScopeNames_withAllScopes_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> AccessRequirement.signedInUser().withAllScopes())
                .withMessageContaining("at least one");
    }

    @Test
    void givenScopeShortfall_reason_namesTheScopeAndNothingTheCallerHolds() {
        CallerIdentity caller = Callers.aCaller().withScopes("User.Read").build();

        Decision.Denied denied = (Decision.Denied) SCOPE_AND_ROLE.evaluate(caller);

        assertThat(denied.reason()).isEqualTo("missing scope Mail.Send; missing app role Mail.Sender");
        assertThat(denied.lacksScopes()).isTrue();
        assertThat(denied.lacksOnlyRoles()).isFalse();
    }

    @Test
    void givenOnlyRoleShortfall_decision_saysOnlyRolesAreMissing() {
        CallerIdentity caller = Callers.alice();

        Decision.Denied denied = (Decision.Denied) SCOPE_AND_ROLE.evaluate(caller);

        assertThat(denied.lacksOnlyRoles()).isTrue();
        assertThat(denied.lacksScopes()).isFalse();
        assertThat(denied.reason()).isEqualTo("missing app role Mail.Sender");
    }

    @Test
    void givenAnyOfShortfall_reason_saysOneOfTheAlternatives() {
        Decision.Denied denied = (Decision.Denied) ANY_SCOPE.evaluate(aCaller().build());

        assertThat(denied.reason()).isEqualTo("missing one of the scopes Mail.Read, Mail.ReadWrite");
    }

    @Test
    void givenApplicationOnUserOnlyTool_reason_saysASignedInUserIsNeeded() {
        Decision.Denied denied = (Decision.Denied) USER_ONLY.evaluate(anApplication().build());

        assertThat(denied.reason()).contains("needs a signed-in user");
    }

    @Test
    void givenDeniedWithNothingMissing_construct_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new Decision.Denied(new java.util.TreeSet<>(), Match.ALL_OF, new java.util.TreeSet<>(),
                        Match.ALL_OF, false, new java.util.TreeSet<>()))
                .withMessageContaining("must name what is missing");
    }
}
