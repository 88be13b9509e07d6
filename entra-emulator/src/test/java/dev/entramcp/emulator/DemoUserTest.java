package dev.entramcp.emulator;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DemoUserTest {

    @Test
    void givenAShortName_of_makesAUserOfTheTestDomainWithAFreshObjectId() {
        DemoUser dana = DemoUser.of("dana", "Dana Doe", "Mail.Sender");

        assertThat(dana.userPrincipalName()).isEqualTo("dana@entra-emulator.test");
        assertThat(dana.mail()).isEqualTo(dana.userPrincipalName());
        assertThat(dana.givenName()).isEqualTo("Dana");
        assertThat(dana.surname()).isEqualTo("Doe");
        assertThat(dana.roles()).isEqualTo(Set.of("Mail.Sender"));
        assertThat(DemoUser.of("dana", "Dana Doe").objectId()).isNotEqualTo(dana.objectId());
    }

    @Test
    void givenAnyOfItsNames_answersTo_isTrue() {
        DemoUser dana = DemoUser.of("dana", "Dana Doe");

        assertThat(dana.answersTo("DANA")).isTrue();
        assertThat(dana.answersTo("dana@entra-emulator.test")).isTrue();
        assertThat(dana.answersTo(dana.objectId())).isTrue();
        assertThat(dana.answersTo("dan")).isFalse();
    }

    @Test
    void givenABlankName_construction_namesTheField() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> DemoUser.of(" ", "Nobody"))
                .withMessage("'username' must not be blank");
    }

    @Test
    void givenAnObjectIdThatIsNoGuid_construction_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new DemoUser("dana", "dana@x.test", "not-a-guid", "Dana", Set.of()));
    }
}
