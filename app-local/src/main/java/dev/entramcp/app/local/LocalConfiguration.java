package dev.entramcp.app.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The local server's configuration, from flags first and environment variables second. Without
 * {@code --demo}, a tenant and a client id are required: the server never falls back to the demo
 * on its own, it stops and says what to set.
 *
 * @param demo         run against the embedded Entra emulator instead of a real tenant
 * @param demoUser     in demo mode, the emulator user who signs in automatically
 * @param tenantId     the Entra tenant (directory) id
 * @param clientId     the public client's application (client) id
 * @param authority    the authority URL; {@code https://login.microsoftonline.com/{tenant}} by default
 * @param graphBaseUrl Microsoft Graph's base URL, {@code https://graph.microsoft.com/v1.0} by default
 * @param cacheDir     where the encrypted token cache and its key file live (not used by the demo,
 *                     whose emulator is new on every run: it uses a temporary cache of its own)
 * @param signInMode   {@code auto}, {@code browser} or {@code device-code}
 * @param signOut      clear the token cache and exit, instead of serving
 * @param trustPem     a PEM certificate to trust instead of the JDK's CAs, for a private authority
 *                     (a loopback Entra stand-in, a TLS-inspecting proxy)
 * @param extraScopes  scopes that only an administrator can grant, asked for at sign-in only when named
 *                     here (see {@link SignInScopes}): {@code GroupMember.Read.All}
 * @param signInWait   how long a tool call waits for a pending sign-in before it answers "sign in at ..."
 */
public record LocalConfiguration(boolean demo, String demoUser, Optional<String> tenantId, Optional<String> clientId,
                                 Optional<URI> authority, URI graphBaseUrl, Path cacheDir, String signInMode,
                                 boolean signOut, Optional<Path> trustPem, Set<String> extraScopes,
                                 Duration signInWait) {

    static final String USAGE = """
            Usage: java -jar app-local/target/app-local.jar [options]
              --demo                 run on the embedded Entra emulator (a development stand-in, not Entra)
              --demo-user NAME       demo only: sign in as this emulator user (alice, bob); default alice
              --tenant-id ID         Entra tenant id            (or AZURE_TENANT_ID)
              --client-id ID         public client id            (or AZURE_CLIENT_ID)
              --authority URL        authority, default https://login.microsoftonline.com/{tenant} (or ENTRA_MCP_AUTHORITY)
              --graph-url URL        Graph base URL, default https://graph.microsoft.com/v1.0 (or ENTRA_MCP_GRAPH_URL)
              --cache-dir DIR        token cache directory, default ~/.entra-mcp (or ENTRA_MCP_CACHE_DIR)
              --sign-in MODE         auto | browser | device-code, default auto (or ENTRA_MCP_SIGN_IN)
              --trust-pem FILE       trust this PEM certificate instead of the JDK's CAs (or ENTRA_MCP_TRUST_PEM)
              --extra-scopes LIST    also ask at sign-in for these admin-consent scopes, comma-separated, e.g.
                                     GroupMember.Read.All once an administrator granted it (or ENTRA_MCP_EXTRA_SCOPES)
              --sign-in-wait SECS    how long a tool call waits for a pending sign-in, default 45 (or ENTRA_MCP_SIGN_IN_WAIT)
              --sign-out             delete the cached tokens and exit
              --help                 show this text
            """;

    static final List<String> SIGN_IN_MODES = List.of("auto", "browser", "device-code");

    public LocalConfiguration {
        if (!SIGN_IN_MODES.contains(signInMode)) {
            throw new ConfigurationException("Unknown sign-in mode '" + signInMode + "'. Use one of: " + String.join(", ", SIGN_IN_MODES) + ".");
        }
        extraScopes = Set.copyOf(extraScopes);
        if (signInWait.isNegative()) {
            throw new ConfigurationException("The sign-in wait must not be negative.");
        }
        if (!demo && !signOut && (tenantId.isEmpty() || clientId.isEmpty())) {
            List<String> missing = new ArrayList<>();
            tenantId.ifPresentOrElse(id -> { }, () -> missing.add("AZURE_TENANT_ID (or --tenant-id)"));
            clientId.ifPresentOrElse(id -> { }, () -> missing.add("AZURE_CLIENT_ID (or --client-id)"));
            throw new ConfigurationException("Missing configuration: set " + String.join(" and ", missing)
                    + " to your Entra tenant and public client app registration (see docs/local-scenario.md),"
                    + " or run with --demo to use the embedded Entra emulator.");
        }
    }

    /** Reads flags, then the environment. Throws {@link ConfigurationException} with a message for the person. */
    public static LocalConfiguration from(String[] args, Map<String, String> env) {
        boolean demo = false;
        boolean signOut = false;
        String demoUser = "alice";
        String tenantId = env.get("AZURE_TENANT_ID");
        String clientId = env.get("AZURE_CLIENT_ID");
        String authority = env.get("ENTRA_MCP_AUTHORITY");
        String graphUrl = env.getOrDefault("ENTRA_MCP_GRAPH_URL", "https://graph.microsoft.com/v1.0");
        String cacheDir = env.get("ENTRA_MCP_CACHE_DIR");
        String signIn = env.getOrDefault("ENTRA_MCP_SIGN_IN", "auto");
        String trustPem = env.get("ENTRA_MCP_TRUST_PEM");
        String extraScopes = env.getOrDefault("ENTRA_MCP_EXTRA_SCOPES", "");
        String signInWait = env.get("ENTRA_MCP_SIGN_IN_WAIT");
        Iterator<String> it = List.of(args).iterator();
        while (it.hasNext()) {
            String arg = it.next();
            switch (arg) {
                case "--demo" -> demo = true;
                case "--sign-out" -> signOut = true;
                case "--demo-user" -> demoUser = value(it, arg);
                case "--tenant-id" -> tenantId = value(it, arg);
                case "--client-id" -> clientId = value(it, arg);
                case "--authority" -> authority = value(it, arg);
                case "--graph-url" -> graphUrl = value(it, arg);
                case "--cache-dir" -> cacheDir = value(it, arg);
                case "--sign-in" -> signIn = value(it, arg).toLowerCase(Locale.ROOT);
                case "--trust-pem" -> trustPem = value(it, arg);
                case "--extra-scopes" -> extraScopes = value(it, arg);
                case "--sign-in-wait" -> signInWait = value(it, arg);
                case "--help", "-h" -> throw new HelpRequested();
                default -> throw new ConfigurationException("Unknown option '" + arg + "'.\n" + USAGE);
            }
        }
        Path cache = cacheDir == null || cacheDir.isBlank()
                ? Path.of(System.getProperty("user.home"), ".entra-mcp")
                : Path.of(cacheDir);
        return new LocalConfiguration(demo, demoUser, blankToEmpty(tenantId), blankToEmpty(clientId),
                blankToEmpty(authority).map(LocalConfiguration::uri), uri(graphUrl), cache, signIn, signOut,
                blankToEmpty(trustPem).map(Path::of), scopeList(extraScopes),
                blankToEmpty(signInWait).map(LocalConfiguration::seconds).orElse(DEFAULT_SIGN_IN_WAIT));
    }

    /** A tool call's default wait for a pending sign-in (the public client's default). */
    static final Duration DEFAULT_SIGN_IN_WAIT = Duration.ofSeconds(45);

    private static Set<String> scopeList(String value) {
        Set<String> scopes = new TreeSet<>();
        Arrays.stream(value.split("[,\\s]+")).filter(scope -> !scope.isBlank()).forEach(scopes::add);
        return scopes;
    }

    private static Duration seconds(String value) {
        try {
            long seconds = Long.parseLong(value);
            if (seconds < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException invalid) {
            throw new ConfigurationException("The sign-in wait '" + value + "' must be a whole number of seconds (0 or more).");
        }
    }

    /** The authority to use: the configured one, or the public cloud's for the tenant. */
    public URI effectiveAuthority() {
        return authority.orElseGet(() -> URI.create("https://login.microsoftonline.com/" + tenantId.orElseThrow()));
    }

    private static String value(Iterator<String> it, String flag) {
        if (!it.hasNext()) {
            throw new ConfigurationException("Option " + flag + " needs a value.\n" + USAGE);
        }
        return it.next();
    }

    private static Optional<String> blankToEmpty(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static URI uri(String value) {
        try {
            URI uri = URI.create(value);
            if (!"https".equals(uri.getScheme())) {
                throw new ConfigurationException("'" + value + "' must be an https URL.");
            }
            return uri;
        } catch (IllegalArgumentException invalid) {
            throw new ConfigurationException("'" + value + "' is not a valid URL.");
        }
    }

    /** A configuration problem, with a message meant for the person who started the server. */
    public static class ConfigurationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigurationException(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code --help} was asked for. */
    public static final class HelpRequested extends ConfigurationException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super(USAGE);
        }
    }
}
