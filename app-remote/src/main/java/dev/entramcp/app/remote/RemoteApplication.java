package dev.entramcp.app.remote;

import dev.entramcp.adapter.http.facade.FacadeProperties;
import dev.entramcp.emulator.EntraEmulator;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar app-remote/target/app-remote.jar [--demo] [--facade]}: the remote MCP server,
 * as a resource server for Entra's tokens, or with {@code --facade} as its clients' authorization
 * server in front of Entra.
 *
 * <p>Without {@code --demo} it needs a real tenant's configuration and stops at once, saying what
 * to set, when it is missing: it never falls back to the demo. With {@code --demo} it starts the
 * embedded Entra emulator first, configures itself against it, and says so loudly.
 */
public final class RemoteApplication {

    private RemoteApplication() {
    }

    public static void main(String[] args) {
        PrintStream stderr = System.err;
        RemoteOptions options;
        try {
            options = RemoteOptions.parse(args);
        } catch (IllegalArgumentException invalid) {
            stderr.println("entra-mcp (remote): " + invalid.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            stderr.println(RemoteOptions.USAGE);
            return;
        }
        if (!options.demo()) {
            List<String> missing = MissingConfiguration.find(System.getenv(), System.getProperties());
            if (!missing.isEmpty()) {
                stderr.println("entra-mcp (remote): missing configuration: set " + String.join(", ", missing)
                        + " (see docs/remote-scenario.md), or run with --demo to use the embedded Entra emulator.");
                System.exit(2);
                return;
            }
        }
        try {
            start(options, stderr);
        } catch (RuntimeException startupFailed) {
            stderr.println("entra-mcp (remote): could not start: " + rootMessage(startupFailed));
            System.exit(1);
        }
    }

    /** Starts the server (and in demo mode the emulator); returns the running context. */
    public static Running start(RemoteOptions options, PrintStream stderr) {
        EntraEmulator emulator = null;
        Map<String, Object> properties = new HashMap<>();
        ApplicationContextBuilder builder = Micronaut.build(options.micronaut().toArray(String[]::new))
                .mainClass(RemoteApplication.class)
                .banner(false);
        if (options.facade()) {
            properties.put(FacadeProperties.ENABLED, "true");
        }
        if (options.demo()) {
            emulator = EntraEmulator.builder().autoApprove(options.demoUser()).build().start();
            DemoSetup demo = DemoSetup.of(emulator, port(options));
            properties.putAll(demo.properties());
            if (options.facade()) {
                properties.putAll(FacadeDemo.prepare(emulator, port(options)));
            }
            builder.singletons(demo.credentials(), new DemoTrust(emulator.sslContext()));
        }
        ApplicationContext context;
        try {
            context = builder.properties(properties).start();
        } catch (RuntimeException failed) {
            if (emulator != null) {
                emulator.close();
            }
            throw failed;
        }
        Running running = new Running(context, emulator);
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "entra-mcp-shutdown"));
        if (emulator != null) {
            String url = context.getBean(EmbeddedServer.class).getURL().toString();
            stderr.println(options.facade() ? FacadeDemo.banner(emulator, url, options.demoUser())
                    : DemoSetup.banner(emulator, url, options.demoUser()));
        }
        return running;
    }

    /** The port the demo serves on: {@code -micronaut.server.port=N}, else MICRONAUT_SERVER_PORT, else 8080. */
    static int port(RemoteOptions options) {
        for (String arg : options.micronaut()) {
            if (arg.startsWith("-micronaut.server.port=")) {
                return Integer.parseInt(arg.substring("-micronaut.server.port=".length()));
            }
        }
        String env = System.getenv("MICRONAUT_SERVER_PORT");
        return env == null || env.isBlank() ? 8080 : Integer.parseInt(env.trim());
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** The running server and, in demo mode, its emulator; closing stops both. */
    public static final class Running implements AutoCloseable {
        private final ApplicationContext context;
        private final EntraEmulator emulator;

        Running(ApplicationContext context, EntraEmulator emulator) {
            this.context = context;
            this.emulator = emulator;
        }

        public ApplicationContext context() {
            return context;
        }

        public java.util.Optional<EntraEmulator> emulator() {
            return java.util.Optional.ofNullable(emulator);
        }

        @Override
        public synchronized void close() {
            if (context.isRunning()) {
                context.close();
            }
            if (emulator != null) {
                emulator.close();
            }
        }
    }
}
