package dev.entramcp.domain.model;

import dev.entramcp.domain.fixtures.Callers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The caller's scope and role sets: copied once, immutable, and shared rather than copied again. */
class CallerIdentityTest {

    private static final PrincipalId ALICE = PrincipalId.of(Callers.TENANT, Callers.ALICE_OID);

    @Test
    void givenACaller_withAssertion_sharesItsScopeAndRoleSetsInsteadOfCopyingThem() {
        CallerIdentity caller = CallerIdentity.user(ALICE, "alice", "Alice", Callers.CLIENT_APP,
                List.of("User.Read", "Mail.Send"), List.of("Mail.Sender"));

        CallerIdentity withToken = caller.withAssertion(UserAssertion.of("eyJhbGciOiJSUzI1NiJ9.payload.sig"));

        assertThat(withToken.scopes()).isSameAs(caller.scopes()).containsExactly("Mail.Send", "User.Read");
        assertThat(withToken.roles()).isSameAs(caller.roles()).containsExactly("Mail.Sender");
    }

    @Test
    void givenMutableSourceCollections_mutatingThemLater_doesNotChangeTheCaller() {
        List<String> scopes = new ArrayList<>(List.of("User.Read"));
        TreeSet<String> roles = new TreeSet<>(List.of("Mail.Sender"));
        CallerIdentity caller = CallerIdentity.user(ALICE, "alice", "Alice", Callers.CLIENT_APP, scopes, roles);

        scopes.add("Mail.Send");
        roles.add("Admin");

        assertThat(caller.scopes()).containsExactly("User.Read");
        assertThat(caller.roles()).containsExactly("Mail.Sender");
    }

    @Test
    void givenAnUnmodifiableViewOfAMutableSet_construction_stillCopiesIt() {
        TreeSet<String> backing = new TreeSet<>(List.of("User.Read"));
        CallerIdentity caller = new CallerIdentity(ALICE, "alice", "Alice", Callers.CLIENT_APP,
                Collections.unmodifiableSortedSet(backing), Collections.emptySortedSet(), CallerKind.USER,
                java.util.Optional.empty());

        backing.add("Mail.Send");

        assertThat(caller.scopes()).containsExactly("User.Read");
    }

    @Test
    void givenACallerWithAnAssertion_itsSets_cannotBeModified() {
        CallerIdentity caller = Callers.aCaller().withAssertion("eyJhbGciOiJSUzI1NiJ9.payload.sig").build();

        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> caller.scopes().add("Mail.Send"));
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> caller.roles().add("Admin"));
        assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> caller.scopes().tailSet("").add("Mail.Send"));
        assertThatExceptionOfType(UnsupportedOperationException.class)
                .isThrownBy(() -> caller.scopes().iterator().remove());
    }

    @Test
    void givenEqualSets_callers_areEqualWhicheverCollectionTheyCameFrom() {
        CallerIdentity fromList = CallerIdentity.user(ALICE, "alice", "Alice", Callers.CLIENT_APP,
                List.of("User.Read", "Mail.Send"), List.of());
        CallerIdentity fromSet = CallerIdentity.user(ALICE, "alice", "Alice", Callers.CLIENT_APP,
                new TreeSet<>(List.of("Mail.Send", "User.Read")), List.of());

        assertThat(fromList).isEqualTo(fromSet).hasSameHashCodeAs(fromSet);
        assertThat(fromList.scopes()).isEqualTo(new TreeSet<>(List.of("Mail.Send", "User.Read")))
                .hasToString("[Mail.Send, User.Read]");
    }
}
