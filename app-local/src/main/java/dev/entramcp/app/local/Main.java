package dev.entramcp.app.local;

import dev.entramcp.adapter.entra.cache.TokenCacheKeyException;

import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * {@code java -jar app-local/target/app-local.jar [--demo] ...}: the local stdio MCP server.
 *
 * <p>Whatever stops the start because of how the server is set up (a missing or invalid setting, an
 * unknown demo user, a token cache key that is malformed or kept in a file others may read, a
 * cache directory that cannot be written) ends the process with one line on stderr saying what
 * to fix, and exit status 2: MCP clients show that line to the person, a stack trace would bury it.
 */
public final class Main {

    static final int EXIT_CONFIGURATION = 2;

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        // stdout belongs to the MCP protocol: keep a handle for the transport, then make sure
        // nothing else can write to it, however a library logs.
        PrintStream protocolOut = System.out;
        PrintStream stderr = System.err;
        System.setOut(stderr);

        LocalConfiguration config;
        LocalApplication app;
        try {
            config = LocalConfiguration.from(args, System.getenv());
            if (config.signOut()) {
                LocalApplication.signOut(config, stderr);
                return;
            }
            app = LocalApplication.start(config, System.in, protocolOut, stderr);
        } catch (LocalConfiguration.HelpRequested help) {
            stderr.println(help.getMessage());
            return;
        } catch (LocalConfiguration.ConfigurationException | TokenCacheKeyException invalid) {
            stop(stderr, invalid.getMessage());
            return;
        } catch (UncheckedIOException unwritable) {
            stop(stderr, unwritable.getMessage() + " (" + unwritable.getCause().getClass().getSimpleName() + ": "
                    + unwritable.getCause().getMessage() + ")");
            return;
        }
        Thread shutdown = new Thread(app::close, "entra-mcp-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        app.signInEarly();
        app.awaitTermination();
        app.close();
        System.exit(0);
    }

    private static void stop(PrintStream stderr, String message) {
        stderr.println("entra-mcp (local): " + message);
        System.exit(EXIT_CONFIGURATION);
    }
}
