package dev.entramcp.app.local;

import java.io.PrintStream;

/** {@code java -jar app-local/target/app-local.jar [--demo] ...}: the local stdio MCP server. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        // stdout belongs to the MCP protocol: keep a handle for the transport, then make sure
        // nothing else can write to it, however a library logs.
        PrintStream protocolOut = System.out;
        PrintStream stderr = System.err;
        System.setOut(stderr);

        LocalConfiguration config;
        try {
            config = LocalConfiguration.from(args, System.getenv());
        } catch (LocalConfiguration.HelpRequested help) {
            stderr.println(help.getMessage());
            return;
        } catch (LocalConfiguration.ConfigurationException invalid) {
            stderr.println("entra-mcp (local): " + invalid.getMessage());
            System.exit(2);
            return;
        }
        LocalApplication app;
        try {
            if (config.signOut()) {
                LocalApplication.signOut(config, stderr);
                return;
            }
            app = LocalApplication.start(config, System.in, protocolOut, stderr);
        } catch (LocalConfiguration.ConfigurationException invalid) {
            stderr.println("entra-mcp (local): " + invalid.getMessage());
            System.exit(2);
            return;
        }
        Thread shutdown = new Thread(app::close, "entra-mcp-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        app.signInEarly();
        app.awaitTermination();
        app.close();
        System.exit(0);
    }
}
