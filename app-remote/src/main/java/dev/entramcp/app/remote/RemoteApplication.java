package dev.entramcp.app.remote;

import dev.entramcp.adapter.http.facade.FacadeProperties;
import dev.entramcp.emulator.EntraEmulator;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.CommandLinePropertySource;
import io.micronaut.context.env.PropertySource;
import io.micronaut.http.server.exceptions.ServerStartupException;
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
            List<String> missing = MissingConfiguration.find(System.getenv(), System.getProperties(), options.micronaut());
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
            stderr.println("entra-mcp (remote): could not start: " + startFailure(startupFailed));
            System.exit(1);
        }
    }

    /**
     * Starts the server (and in demo mode the emulator, first); returns them running. A failed
     * start throws, after closing whatever it had started.
     *
     * <p>The context is built with {@link ApplicationContext#builder()} and the HTTP server started
     * here, not with {@code Micronaut.run}: on a failed start Micronaut's runner logs the whole
     * stack trace and calls {@code System.exit} itself, and the shutdown hook it registers stops
     * the server and the context in the opposite order from ours, so that on SIGTERM the two hooks
     * deadlocked and the process never ended. Here one hook, {@link Running#close}, stops
     * everything.
     */
    public static Running start(RemoteOptions options, PrintStream stderr) {
        // Checked before the emulator starts, so that a bad port leaves nothing behind.
        boolean anyPort = options.demo() && DemoSetup.wantsAnyPort(options.micronaut(), System.getProperties(), System.getenv());
        EntraEmulator emulator = options.demo()
                ? EntraEmulator.builder().autoApprove(options.demoUser()).build().start() : null;
        for (int attempt = 1; ; attempt++) {
            ApplicationContext context;
            try {
                context = context(options, emulator);
            } catch (RuntimeException invalid) {
                if (emulator != null) {
                    emulator.close();
                }
                throw invalid;
            }
            try {
                context.start();
                context.getBean(EmbeddedServer.class).start();
            } catch (RuntimeException failed) {
                // "Any free port" is chosen before the server binds it, since PRM must name it; in the
                // moment between, another process may take it. Then choose again.
                if (anyPort && attempt < MAX_BIND_ATTEMPTS && isBindFailure(failed)) {
                    context.close();
                    continue;
                }
                new Running(context, emulator).closeAfterFailedStart(failed);
                throw failed;
            }
            Running running = new Running(context, emulator).closedOnShutdown();
            if (emulator != null) {
                String url = context.getBean(EmbeddedServer.class).getURL().toString();
                stderr.println(options.facade() ? FacadeDemo.banner(emulator, url, options.demoUser())
                        : DemoSetup.banner(emulator, url, options.demoUser()));
            }
            return running;
        }
    }

    private static final int MAX_BIND_ATTEMPTS = 3;

    /** The application context for these options; in demo mode configured against the emulator. */
    private static ApplicationContext context(RemoteOptions options, EntraEmulator emulator) {
        Map<String, Object> properties = new HashMap<>();
        ApplicationContextBuilder builder = ApplicationContext.builder()
                .args(options.micronaut().toArray(String[]::new))
                .mainClass(RemoteApplication.class)
                .banner(false);
        if (options.facade()) {
            properties.put(FacadeProperties.ENABLED, "true");
        }
        if (emulator != null) {
            int port = DemoSetup.port(options.micronaut(), System.getProperties(), System.getenv());
            DemoSetup demo = DemoSetup.of(emulator, port);
            Map<String, Object> demoProperties = new HashMap<>(demo.properties());
            if (options.facade()) {
                demoProperties.putAll(FacadeDemo.prepare(emulator, port));
            }
            builder.propertySources(PropertySource.of("demo", demoProperties, DEMO_PRECEDENCE))
                    .singletons(demo.credentials(), new DemoTrust(emulator.sslContext()));
        }
        return builder.properties(properties).build();
    }

    /**
     * The demo's settings win over the command line: Micronaut lets a property source of higher order
     * override a lower one, and the command line's is {@link CommandLinePropertySource#POSITION} (0),
     * the same as the builder's own properties, between which the winner would be an accident of
     * iteration order. A demo pointed at a real tenant by a leftover flag must not happen.
     */
    static final int DEMO_PRECEDENCE = CommandLinePropertySource.POSITION + 100;

    private static boolean isBindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.BindException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** Why the start failed, in one line: the innermost cause, after the server's own words when it could not bind. */
    static String startFailure(Throwable failure) {
        Throwable cause = failure;
        String server = null;
        while (true) {
            if (cause instanceof ServerStartupException && cause.getMessage() != null) {
                server = cause.getMessage();
            }
            if (cause.getCause() == null || cause.getCause() == cause) {
                break;
            }
            cause = cause.getCause();
        }
        String root = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return server == null || server.equals(root) ? root : server + ": " + root;
    }

    /** The running server and, in demo mode, its emulator; closing stops both, once. */
    public static final class Running implements AutoCloseable {
        private final ApplicationContext context;
        private final EntraEmulator emulator;
        private Thread shutdownHook;
        private boolean closed;

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

        /** Closes this on SIGTERM or Ctrl-C; {@link #close()} removes the hook again. */
        Running closedOnShutdown() {
            shutdownHook = new Thread(this::close, "entra-mcp-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            return this;
        }

        /** Stops the HTTP server and the context (the server first, by the context), then the emulator. */
        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            removeShutdownHook();
            try {
                if (context.isRunning()) {
                    context.close();
                }
            } finally {
                if (emulator != null) {
                    emulator.close();
                }
            }
        }

        private void closeAfterFailedStart(RuntimeException failed) {
            try {
                close();
            } catch (RuntimeException alsoFailed) {
                failed.addSuppressed(alsoFailed);
            }
        }

        private void removeShutdownHook() {
            if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
                return;
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already running the hooks; ours will find this closed
            }
        }
    }
}
