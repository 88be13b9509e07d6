package dev.entramcp.app.local;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class StderrLoggingTest {

    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final LoggerContext context = new LoggerContext();
    private final StderrLogging logging = new StderrLogging();

    @BeforeEach
    void captureStandardStreams() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's SLF4J provider does first
        logging.setContext(context);
    }

    @AfterEach
    void restoreStandardStreams() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        context.stop();
    }

    @Test
    void givenAFreshContext_configure_writesAuditAndProjectLinesToStderrAndNothingToStdout() {
        Configurator.ExecutionStatus status = logging.configure(context);
        context.getLogger("audit").info("{\"type\":\"audit\",\"tool\":\"whoami\"}");
        context.getLogger("dev.entramcp.adapter.entra.cache.ProtectedTokenCache").info("token cache opened");
        context.getLogger("dev.entramcp.adapter.entra.cache.ProtectedTokenCache").debug("a debug line");
        context.getLogger("com.microsoft.aad.msal4j.TokenCache").info("a library's info line");
        context.getLogger("com.microsoft.aad.msal4j.TokenCache").warn("a library's warning");

        assertThat(status).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(stderr)
                .contains("INFO  [" + Thread.currentThread().getName() + "] audit - {\"type\":\"audit\",\"tool\":\"whoami\"}")
                .contains("token cache opened")
                .contains("a library's warning")
                .doesNotContain("a debug line")
                .doesNotContain("a library's info line");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void givenAFreshContext_configure_setsTheLevels() {
        logging.configure(context);

        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("audit").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("dev.entramcp.app.local.Main").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("io.modelcontextprotocol.server.McpAsyncServer").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void givenLogbackConfigurationFileProperty_configure_leavesTheFileToLogbacksOwnConfigurator() {
        System.setProperty("logback.configurationFile", "/tmp/someone-elses-logback.xml");
        try {
            Configurator.ExecutionStatus status = logging.configure(context);

            assertThat(status).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
        } finally {
            System.clearProperty("logback.configurationFile");
        }
    }

    @Test
    void givenTheClasspath_serviceLoader_findsThisConfiguratorForLogback() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(StderrLogging.class);
    }
}
