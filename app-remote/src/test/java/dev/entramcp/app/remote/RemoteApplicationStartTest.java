package dev.entramcp.app.remote;

import io.micronaut.http.server.exceptions.ServerStartupException;
import io.micronaut.context.exceptions.BeanInstantiationException;
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
}
