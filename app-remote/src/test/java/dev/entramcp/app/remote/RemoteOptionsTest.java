package dev.entramcp.app.remote;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RemoteOptionsTest {

    @Test
    void givenNoArguments_parse_meansARealTenantWithoutHelp() {
        RemoteOptions options = RemoteOptions.parse(new String[0]);

        assertThat(options.demo()).isFalse();
        assertThat(options.help()).isFalse();
        assertThat(options.micronaut()).isEmpty();
    }

    @Test
    void givenDemo_parse_approvesAliceByDefault() {
        RemoteOptions options = RemoteOptions.parse(new String[]{"--demo"});

        assertThat(options.demo()).isTrue();
        assertThat(options.demoUser()).isEqualTo("alice");
    }

    @Test
    void givenDemoWithAUser_parse_approvesThatUser() {
        RemoteOptions options = RemoteOptions.parse(new String[]{"--demo-user", "bob", "--demo"});

        assertThat(options.demo()).isTrue();
        assertThat(options.demoUser()).isEqualTo("bob");
    }

    @Test
    void givenMicronautArguments_parse_handsThemToMicronautInOrder() {
        RemoteOptions options = RemoteOptions.parse(new String[]{
                "-micronaut.server.port=9090", "--demo", "--micronaut.server.host=localhost", "-entramcp.mcp.mode=stateless"});

        assertThat(options.micronaut()).containsExactly(
                "-micronaut.server.port=9090", "--micronaut.server.host=localhost", "-entramcp.mcp.mode=stateless");
    }

    @Test
    void givenHelpInEitherSpelling_parse_asksForTheUsage() {
        assertThat(RemoteOptions.parse(new String[]{"--help"}).help()).isTrue();
        assertThat(RemoteOptions.parse(new String[]{"-h"}).help()).isTrue();
    }

    @Test
    void givenAnUnknownOption_parse_failsNamingItAndShowingTheUsage() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> RemoteOptions.parse(new String[]{"--demo", "--demo-mode"}))
                .withMessageStartingWith("Unknown option '--demo-mode'.")
                .withMessageContaining("Usage: java -jar app-remote/target/app-remote.jar");
    }

    @Test
    void givenDemoUserWithoutItsValue_parse_failsSayingItNeedsOne() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> RemoteOptions.parse(new String[]{"--demo", "--demo-user"}))
                .withMessageStartingWith("Option --demo-user needs a value.");
    }

    @Test
    void givenDemoUserWithoutDemo_parse_failsRatherThanIgnoringIt() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> RemoteOptions.parse(new String[]{"--demo-user", "bob"}))
                .withMessageStartingWith("Option --demo-user works only with --demo");
    }

    @Test
    void givenTheParsedArguments_theList_cannotBeChangedAfterwards() {
        RemoteOptions options = RemoteOptions.parse(new String[]{"-micronaut.server.port=9090"});

        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> options.micronaut().add("-x=y"));
    }
}
