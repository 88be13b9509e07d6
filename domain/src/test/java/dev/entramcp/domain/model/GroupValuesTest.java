package dev.entramcp.domain.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GroupValuesTest {

    @Test
    void givenTopOutsideOneToHundred_groupQuery_isRefusedNamingTheField() {
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new GroupQuery(0))
                .withMessage("'top' must be between 1 and 100");
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new GroupQuery(101));
    }

    @Test
    void givenTopBeyondIntRange_ofTop_isRefusedRatherThanWrapped() {
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> GroupQuery.ofTop(4_294_967_297L))
                .withMessage("'top' must be between 1 and 100");
    }

    @Test
    void givenDefaults_groupQuery_readsTwentyFive() {
        assertThat(GroupQuery.defaults().top()).isEqualTo(25);
    }

    @Test
    void givenBlankId_directoryGroup_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> DirectoryGroup.of(" ", "Name", null))
                .withMessage("'id' must not be blank");
    }

    @Test
    void givenHiddenName_directoryGroup_isLabelledByItsId() {
        DirectoryGroup hidden = new DirectoryGroup("g-1", "", Optional.empty());

        assertThat(hidden.label()).isEqualTo("g-1");
        assertThat(hidden.asMap()).containsOnlyKeys("id", "displayName");
    }

    @Test
    void givenAMutableList_groupPage_keepsACopyAndRefusesNulls() {
        List<DirectoryGroup> groups = new ArrayList<>(List.of(DirectoryGroup.of("g-1", "A", null)));
        GroupPage page = new GroupPage(groups, false);
        groups.clear();

        assertThat(page.groups()).hasSize(1);
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new GroupPage(Arrays.asList((DirectoryGroup) null), false))
                .withMessage("'groups' must not contain null entries");
    }
}
