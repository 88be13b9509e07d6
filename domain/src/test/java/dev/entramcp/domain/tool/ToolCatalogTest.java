package dev.entramcp.domain.tool;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ToolCatalogTest {

    @Test
    void givenTwoToolsOfTheSameName_of_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> ToolCatalog.of(new WhoAmITool(), new WhoAmITool()))
                .withMessageContaining("'whoami' appears twice");
    }

    @Test
    void givenInvalidName_find_isEmptyRatherThanFailing() {
        assertThat(ToolCatalog.of(new WhoAmITool()).find("no such/tool")).isEmpty();
    }
}
