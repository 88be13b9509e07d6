package dev.entramcp.app.remote;

import io.micronaut.http.server.exceptions.ServerStartupException;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.context.ApplicationContext;
import dev.entramcp.emulator.EntraEmulator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** How a start that cannot succeed ends: one line saying why, and nothing left behind. */
class RemoteApplicationStartTest {

    @Test
    void givenAServerThatCouldNotBind_startFailure_saysWhereAndWhy() {
        ServerStartupException failed = new ServerStartupException("Unable to start Micronaut server on *:8080",
                new BindException("Address already in use"));

        assertThat(RemoteApplication.startFailure(failed)).isEqualTo("Unable to start Micronaut server on *:8080: Address already in use");
    }

    @Test
    void givenABadConfiguration_startFailure_isTheValidatorsMessageWithoutMicronautsWrapping() {
        BeanInstantiationException failed = new BeanInstantiationException("Error instantiating bean of type [AuthSettings]",
                new IllegalStateException("Invalid authentication configuration:\n - entramcp.auth.tenant-id must be ..."));

        assertThat(RemoteApplication.startFailure(failed))
                .isEqualTo("Invalid authentication configuration:\n - entramcp.auth.tenant-id must be ...");
    }

    @Test
    void givenAFailureWithoutMessage_startFailure_namesItsType() {
        assertThat(RemoteApplication.startFailure(new RuntimeException(new IllegalStateException()))).isEqualTo("IllegalStateException");
    }

    @Test
    void givenTheDemoPortIsTaken_start_throwsNamingThePortAndPrintsNoBanner() throws Exception {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RemoteOptions options = RemoteOptions.parse(new String[]{"--demo", "-micronaut.server.port=" + taken.getLocalPort()});

            assertThatExceptionOfType(ServerStartupException.class)
                    .isThrownBy(() -> RemoteApplication.start(options, new PrintStream(stderr, true, StandardCharsets.UTF_8)))
                    .satisfies(failure -> assertThat(RemoteApplication.startFailure(failure))
                            .contains(":" + taken.getLocalPort()).contains("Address already in use"));
        }
        assertThat(stderr.toString(StandardCharsets.UTF_8)).doesNotContain("DEMO MODE");
    }

    @Test
    void givenTheDemoAndCommandLineSettingsForAnotherTenant_start_usesTheEmulatorsWhateverTheOrder() {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        RemoteOptions options = RemoteOptions.parse(new String[]{
                "-entramcp.auth.tenant-id=0b0b0b0b-0000-4000-8000-000000000bad",
                "-entramcp.auth.authority-host=https://login.microsoftonline.com",
                "-entramcp.graph.base-url=https://graph.microsoft.com/v1.0",
                "--demo", "-micronaut.server.port=0", "-entramcp.mcp.mode=stateless"});

        try (RemoteApplication.Running running = RemoteApplication.start(options, new PrintStream(stderr, true, StandardCharsets.UTF_8))) {
            EntraEmulator emulator = running.emulator().orElseThrow();
            ApplicationContext context = running.context();

            assertThat(context.getProperty("entramcp.auth.tenant-id", String.class)).contains(emulator.tenantId());
            assertThat(context.getProperty("entramcp.auth.authority-host", String.class)).contains(emulator.baseUrl().toString());
            assertThat(context.getProperty("entramcp.graph.base-url", String.class)).contains(emulator.graphBaseUrl().toString());
            assertThat(context.getProperty("entramcp.mcp.mode", String.class))
                    .as("a key the demo does not set still comes from the command line").contains("stateless");
        }
    }
}
