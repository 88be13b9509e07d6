package dev.entramcp.app.remote;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The command line of {@code app-remote.jar}: this app's own flags; anything else is handed to
 * Micronaut (for example {@code -micronaut.server.port=9090}).
 *
 * @param demo       run on the embedded Entra emulator
 * @param demoUser   in demo mode, the user whose device-code sign-ins are approved automatically
 * @param help       print the usage and exit
 * @param micronaut  the arguments left for Micronaut
 * @param facade     authorization-server facade mode (also {@code entramcp.facade.enabled=true})
 */
public record RemoteOptions(boolean demo, String demoUser, boolean help, List<String> micronaut, boolean facade) {

    static final String USAGE = """
            Usage: java -jar app-remote/target/app-remote.jar [--demo [--demo-user NAME]] [--facade]
              --demo                 run on the embedded Entra emulator (a development stand-in, not Entra)
              --facade               be the clients' OAuth authorization server in front of Entra (dynamic client
                                     registration, consent, server-issued tokens; see docs/authorization-server-facade.md)
              --demo-user NAME       demo only: approve device-code sign-ins as this user (alice, bob); default alice
              --help                 show this text
            Without --demo, configure a real tenant (see docs/remote-scenario.md):
              AZURE_TENANT_ID, AZURE_CLIENT_ID, ENTRA_MCP_PUBLIC_BASE_URL, and a credential:
              ENTRA_MCP_CREDENTIAL=secret|certificate|federated|managed-identity with its settings
              (AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE, ...).
              The port is MICRONAUT_SERVER_PORT (default 8080).
            """;

    public RemoteOptions {
        micronaut = List.copyOf(micronaut);
    }

    /** Resource-server mode (no facade). */
    public RemoteOptions(boolean demo, String demoUser, boolean help, List<String> micronaut) {
        this(demo, demoUser, help, micronaut, false);
    }

    public static RemoteOptions parse(String[] args) {
        boolean demo = false;
        boolean help = false;
        boolean facade = false;
        String demoUser = "alice";
        boolean demoUserGiven = false;
        List<String> rest = new ArrayList<>();
        Iterator<String> it = List.of(args).iterator();
        while (it.hasNext()) {
            String arg = it.next();
            switch (arg) {
                case "--demo" -> demo = true;
                case "--facade" -> facade = true;
                case "--help", "-h" -> help = true;
                case "--demo-user" -> {
                    if (!it.hasNext()) {
                        throw new IllegalArgumentException("Option --demo-user needs a value.\n" + USAGE);
                    }
                    demoUser = it.next();
                    demoUserGiven = true;
                }
                default -> {
                    if (arg.startsWith("--") && !arg.startsWith("--micronaut")) {
                        throw new IllegalArgumentException("Unknown option '" + arg + "'.\n" + USAGE);
                    }
                    rest.add(arg);
                }
            }
        }
        if (demoUserGiven && !demo) {
            throw new IllegalArgumentException("Option --demo-user works only with --demo: a real tenant signs its users in itself.\n" + USAGE);
        }
        return new RemoteOptions(demo, demoUser, help, rest, facade);
    }
}
