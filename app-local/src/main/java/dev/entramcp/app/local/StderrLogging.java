package dev.entramcp.app.local;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The local server's logging, set up in code: every line goes to <b>stderr</b>, because stdout
 * belongs to the MCP protocol. Audit lines and this project's own messages at INFO, libraries at
 * WARN.
 *
 * <p>Why code and not {@code logback.xml}: an MCP client spawns this server on demand, and parsing
 * an XML configuration (an XML parser, Joran's model and reflection) was the largest single item
 * of its start-up, about 0.1 to 0.2 s of CPU on a 2-core machine (measured by {@code bench/run}).
 * Logback finds this class through {@code META-INF/services}. To use your own configuration file
 * instead, start the JVM with {@code -Dlogback.configurationFile=/path/to/logback.xml}; keep its
 * appenders on {@code System.err}.
 */
public final class StderrLogging extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // logback's own configurator reads that file
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();

        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("audit").setLevel(Level.INFO);
        context.getLogger("dev.entramcp").setLevel(Level.INFO);
        context.getLogger("com.microsoft.aad.msal4j").setLevel(Level.WARN);
        context.getLogger("io.modelcontextprotocol").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
