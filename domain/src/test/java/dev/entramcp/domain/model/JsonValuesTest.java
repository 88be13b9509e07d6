package dev.entramcp.domain.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonValuesTest {

    @Test
    void givenLineBreaksQuotesBackslashesAndSeparators_quote_isOneLineJsonString() {
        String quoted = JsonValues.quote("a\"b\\c\nd\r\u2028e\u0000");

        assertThat(quoted).isEqualTo("\"a\\\"b\\\\c\\u000ad\\u000d\\u2028e\\u0000\"");
    }

    @Test
    void givenPlainText_quote_onlyAddsQuotes() {
        assertThat(JsonValues.quote("token has expired")).isEqualTo("\"token has expired\"");
    }
}
