package dev.entramcp.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * An Entra ID and Microsoft Graph stand-in on loopback, for tests and {@code --demo} runs: real HTTPS, real
 * OAuth flows, real RS256 signatures, Entra's URL layout, token shapes and errors. It is a development and test
 * tool, <strong>not an identity provider</strong>: it has no passwords, no MFA, no conditional access, and it
 * signs in whoever picks a name on its page.
 *
 * <pre>{@code
 * try (EntraEmulator emu = EntraEmulator.builder().autoApprove("alice").build().start()) {
 *     var app = PublicClientApplication.builder(emu.apps().local().clientId())
 *             .authority(emu.authority().toString()).instanceDiscovery(false)
 *             .sslSocketFactory(emu.sslContext().getSocketFactory()).build();
 *     ...
 * }
 * }</pre>
 *
 * <p>Layout (as Entra's): {@code {authority}/v2.0/.well-known/openid-configuration},
 * {@code {authority}/discovery/v2.0/keys}, {@code {authority}/oauth2/v2.0/authorize|token|devicecode},
 * {@code {base}/devicelogin}; Graph under {@code {base}/graph/v1.0}; and {@code {base}/.well-known/entra-emulator}
 * describing the emulator without secrets.
 */
public final class EntraEmulator implements AutoCloseable {

    /** Microsoft Graph's application id: the {@code aud} of Graph access tokens. */
    public static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
    /** Microsoft Graph's resource identifier, the prefix of its fully qualified scopes. */
    public static final String GRAPH_RESOURCE = "https://graph.microsoft.com";
    /** Said on every page and in the description; the standalone jar ({@link Main}) prints it at start. */
    public static final String WARNING = "entra-emulator is a DEVELOPMENT AND TEST TOOL, NOT AN IDENTITY PROVIDER:"
            + " anyone can sign in as anyone. Never use it for real users, real data or production.";

    private static final System.Logger LOG = System.getLogger(EntraEmulator.class.getName());

    private final Settings settings;
    private final Directory directory;
    private final TlsMaterial tls;
    private final Path trustPem;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final EmulatorApps apps;
    private final EmulatorControl control;
    private final SignInFlow signIn;
    private final TokenEndpoint tokens;
    private final GraphApi graph;
    private final Discovery discovery;
    private final Duration startup;

    private EntraEmulator(Config config) {
        long started = System.nanoTime();
        // The RSA signing key takes longest to make: generate it on its own thread while TLS and the server start.
        CompletableFuture<KeyPair> signingKey = CompletableFuture.supplyAsync(SigningKeys::newKeyPair, task -> {
            Thread thread = new Thread(task, "entra-emulator-keygen");
            thread.setDaemon(true);
            thread.start();
        });
        this.tls = TlsMaterial.generate();
        this.directory = new Directory(config.tenantId, config.users, config.groups, config.apps);
        this.trustPem = tls.writePem();
        // Binding is the last step that can fail, so a failed start leaves no socket behind.
        try {
            this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), config.port),
                    128);
        } catch (IOException e) {
            deleteQuietly(trustPem);
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + config.port, e);
        }
        int port = server.getAddress().getPort();
        this.settings = new Settings(URI.create("https://localhost:" + port), config.tenantId, config.clock,
                config.idTokenLifetime, config.refreshTokenLifetime, config.authorizationCodeLifetime,
                config.deviceCodeLifetime, config.deviceCodeInterval, config.signingKeyGracePeriod);
        Switches switches = new Switches(config.accessTokenLifetime, config.autoApprove);
        Records records = new Records();
        GrantStore store = new GrantStore(config.clock);
        SigningKeys keys = new SigningKeys(config.clock, settings.issuer(), signingKey);
        TokenMinter minter = new TokenMinter(settings, switches, keys);
        TokenVerifier verifier = new TokenVerifier(settings, keys);
        ConsentPolicy consent = new ConsentPolicy(directory);
        this.apps = new EmulatorApps(directory, config.localClientId, config.remoteClientId, config.demoClientId);
        this.control = new EmulatorControl(settings, directory, switches, records, store, keys, minter);
        this.signIn = new SignInFlow(settings, directory, store, consent, records, switches);
        this.tokens = new TokenEndpoint(settings, directory, store, minter, new ClientAuthenticator(settings, directory),
                verifier, consent, records, switches);
        this.graph = new GraphApi(settings, directory, verifier, switches, records);
        this.discovery = new Discovery(settings, keys);

        SSLContext serverContext = tls.serverContext();
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext) {
            @Override
            public void configure(HttpsParameters params) {
                params.setSSLParameters(serverContext.getDefaultSSLParameters());
            }
        });
        // Small when idle, but a browser's idle pre-connections each hold a worker of the JDK server while it waits
        // for a request, so the pool may grow (up to a bound) rather than let them starve real requests.
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(2, 64, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread thread = new Thread(r, "entra-emulator-" + port + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::route);
        server.start();
        this.startup = Duration.ofNanos(System.nanoTime() - started);
    }

    /** A builder of the emulated world; every setting is optional. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts an emulator with the default world on a free port. */
    public static EntraEmulator start() {
        return builder().build().start();
    }

    /** {@code https://localhost:PORT}. */
    public URI baseUrl() {
        return settings.baseUri();
    }

    public int port() {
        return settings.baseUri().getPort();
    }

    public String tenantId() {
        return settings.tenantId();
    }

    /** {@code https://localhost:PORT/{tenant}}: the authority for msal4j (with {@code instanceDiscovery(false)}). */
    public URI authority() {
        return URI.create(settings.authority());
    }

    /** {@code https://localhost:PORT/{tenant}/v2.0}: the {@code iss} of every token. */
    public URI issuer() {
        return URI.create(settings.issuer());
    }

    /** {@code https://localhost:PORT/{tenant}/discovery/v2.0/keys}. */
    public URI jwksUri() {
        return URI.create(settings.authority() + "/discovery/v2.0/keys");
    }

    /** {@code https://localhost:PORT/{tenant}/v2.0/.well-known/openid-configuration}. */
    public URI openIdConfigurationUri() {
        return URI.create(settings.issuer() + "/.well-known/openid-configuration");
    }

    public URI tokenEndpoint() {
        return URI.create(settings.tokenEndpoint());
    }

    public URI authorizationEndpoint() {
        return URI.create(settings.authority() + "/oauth2/v2.0/authorize");
    }

    public URI deviceCodeEndpoint() {
        return URI.create(settings.authority() + "/oauth2/v2.0/devicecode");
    }

    /** {@code https://localhost:PORT/graph/v1.0}, the stand-in for {@code https://graph.microsoft.com/v1.0}. */
    public URI graphBaseUrl() {
        return URI.create(settings.base() + GraphApi.PREFIX);
    }

    /** A TLS context that trusts this emulator's certificate (and nothing else). */
    public SSLContext sslContext() {
        return tls.clientContext();
    }

    /** The emulator's self-signed certificate. */
    public X509Certificate trustedCertificate() {
        return tls.certificate();
    }

    /** A PEM file holding the emulator's certificate (deleted on {@link #close()}), for curl and other runtimes. */
    public Path trustPem() {
        return trustPem;
    }

    public EmulatorApps apps() {
        return apps;
    }

    public List<DemoUser> users() {
        return directory.users();
    }

    /** The groups and directory roles of the tenant, in the order {@code /me/memberOf} lists them. */
    public List<DemoGroup> groups() {
        return directory.groups();
    }

    /** What the user with this short name, sign-in name or object id is a direct member of. */
    public List<DemoGroup> memberships(String name) {
        return directory.membershipsOf(user(name));
    }

    /** The user with this short name, sign-in name or object id. */
    public DemoUser user(String name) {
        return directory.user(name).orElseThrow(() ->
                new IllegalArgumentException("no user '" + name + "' in the emulated tenant"));
    }

    public EmulatorControl control() {
        return control;
    }

    /** How long {@link Config#start()} took, keys and certificate included. */
    public Duration startupTime() {
        return startup;
    }

    /** The description served at {@code /.well-known/entra-emulator}; the client secret only if asked for. */
    public Map<String, Object> description(boolean includeSecrets) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("warning", WARNING);
        out.put("baseUrl", baseUrl().toString());
        out.put("tenantId", tenantId());
        out.put("authority", authority().toString());
        out.put("issuer", issuer().toString());
        out.put("jwksUri", jwksUri().toString());
        out.put("openidConfiguration", openIdConfigurationUri().toString());
        out.put("graphBaseUrl", graphBaseUrl().toString());
        out.put("trustPem", trustPem.toString());
        Map<String, Object> appsOut = new LinkedHashMap<>();
        appsOut.put("local", describe(apps.local(), false));
        appsOut.put("remote", describe(apps.remote(), includeSecrets));
        appsOut.put("demo", describe(apps.demo(), false));
        out.put("apps", appsOut);
        List<Object> usersOut = new ArrayList<>();
        for (DemoUser user : users()) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("username", user.username());
            u.put("userPrincipalName", user.userPrincipalName());
            u.put("oid", user.objectId());
            u.put("displayName", user.displayName());
            u.put("roles", user.roles().stream().sorted().toList());
            usersOut.add(u);
        }
        out.put("users", usersOut);
        List<Object> groupsOut = new ArrayList<>();
        for (DemoGroup group : groups()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("id", group.objectId());
            g.put("type", group.kind().odataType());
            g.put("displayName", group.displayName());
            g.put("members", group.members().stream().sorted().toList());
            groupsOut.add(g);
        }
        out.put("groups", groupsOut);
        return out;
    }

    private static Map<String, Object> describe(AppRegistration app, boolean includeSecret) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clientId", app.clientId());
        out.put("displayName", app.displayName());
        out.put("publicClient", app.publicClient());
        if (includeSecret && app.clientSecret() != null) {
            out.put("clientSecret", app.clientSecret());
        }
        out.put("redirectUris", app.redirectUris());
        if (app.appIdUri() != null) {
            out.put("appIdUri", app.appIdUri());
            out.put("scopes", app.exposedScopes().stream().sorted().map(s -> app.appIdUri() + "/" + s).toList());
        }
        out.put("appRoles", app.appRoles().stream().sorted().toList());
        return out;
    }

    /** Stops serving at once and deletes the PEM file. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(trustPem);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete " + file);
        }
    }

    @Override
    public String toString() {
        return "EntraEmulator[" + baseUrl() + ", tenant " + tenantId() + "]";
    }

    // ---------------------------------------------------------------- routing

    private void route(HttpExchange exchange) {
        HttpCall call = new HttpCall(exchange);
        try {
            dispatch(call);
        } catch (EntraError e) {
            if (!call.responded()) {
                call.json(e.status(), EntraErrors.body(e, call, settings.clock().instant()));
            }
        } catch (HttpCall.BodyTooLarge e) {
            if (!call.responded()) {
                call.json(413, EntraErrors.body(EntraError.invalidRequest(90023, "The request body is too large."),
                        call, settings.clock().instant()));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "entra-emulator failed on " + call.method() + " " + call.path(), e);
            if (!call.responded()) {
                call.json(500, EntraErrors.body(new EntraError(500, "server_error", 90000,
                        "The emulator failed to process the request.", null), call, settings.clock().instant()));
            }
        } finally {
            if (!call.responded()) {
                call.empty(500);
            }
        }
    }

    private void dispatch(HttpCall call) {
        String path = call.path();
        if (path.startsWith(GraphApi.PREFIX + "/")) {
            graph.handle(call);
            return;
        }
        switch (path) {
            case "/" -> {
                call.text(200, WARNING + "\nDescription: " + settings.base() + "/.well-known/entra-emulator\n");
                return;
            }
            case "/.well-known/entra-emulator" -> {
                call.json(200, description(false));
                return;
            }
            case "/devicelogin" -> {
                signIn.deviceLogin(call);
                return;
            }
            case "/ui/login", "/ui/consent" -> {
                if (!"POST".equals(call.method())) {
                    call.html(405, Pages.message("Not allowed", "This page takes the sign-in form only."), null, null);
                } else if (path.equals("/ui/login")) {
                    signIn.login(call);
                } else {
                    signIn.consent(call);
                }
                return;
            }
            default -> {
                // tenant routes below
            }
        }
        String[] segments = path.split("/", 3);
        if (segments.length < 3 || segments[1].isEmpty()) {
            notFound(call);
            return;
        }
        String tenant = segments[1];
        String rest = segments[2];
        boolean alias = tenant.equals("common") || tenant.equals("organizations");
        if (!tenant.equals(settings.tenantId()) && !alias) {
            if (tenant.matches("[0-9a-fA-F-]{36}") || tenant.contains(".")) {
                throw new EntraError(400, "invalid_tenant", 90002, "Tenant '" + tenant + "' not found. Check to"
                        + " make sure you have the correct tenant ID and are signing into the correct cloud.", null);
            }
            notFound(call);
            return;
        }
        switch (rest) {
            case "v2.0/.well-known/openid-configuration" -> discovery.openIdConfiguration(call, tenant);
            case "discovery/v2.0/keys" -> discovery.jwks(call);
            case "oauth2/v2.0/authorize" -> signIn.authorize(call);
            case "oauth2/v2.0/token" -> tokens.token(call);
            case "oauth2/v2.0/devicecode" -> tokens.deviceAuthorization(call, signIn);
            default -> notFound(call);
        }
    }

    private void notFound(HttpCall call) {
        call.json(404, EntraErrors.body(new EntraError(404, "not_found", 90000, "The emulator serves no resource at '"
                + call.path() + "'. See " + settings.base() + "/.well-known/entra-emulator.", null), call,
                settings.clock().instant()));
    }

    // ---------------------------------------------------------------- configuration

    /**
     * The emulated world. Defaults: one tenant; the apps described in {@link EmulatorApps}; users {@code alice}
     * (no roles) and {@code bob} (role {@code Mail.Sender}); the groups of {@link DemoGroup#defaults()}; access tokens for 60 minutes, refresh tokens for 90
     * days, codes for 10 minutes, device codes for 15 minutes polled every 5 seconds; no auto-approval.
     */
    public static final class Builder {

        private int port;
        private String tenantId = UUID.randomUUID().toString();
        private String autoApprove;
        private Duration accessTokenLifetime = Duration.ofMinutes(60);
        private Duration idTokenLifetime = Duration.ofMinutes(60);
        private Duration refreshTokenLifetime = Duration.ofDays(90);
        private Duration authorizationCodeLifetime = Duration.ofMinutes(10);
        private Duration deviceCodeLifetime = Duration.ofMinutes(15);
        private Duration deviceCodeInterval = Duration.ofSeconds(5);
        private Duration signingKeyGracePeriod = Duration.ofHours(24);
        private Clock clock = Clock.systemUTC();
        private List<DemoUser> users;
        private List<DemoGroup> groups;
        private UnaryOperator<AppRegistration> local = UnaryOperator.identity();
        private UnaryOperator<AppRegistration> remote = UnaryOperator.identity();
        private UnaryOperator<AppRegistration> demo = UnaryOperator.identity();
        private final List<AppRegistration> extraApps = new ArrayList<>();

        private Builder() {
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("'port' must be 0 to 65535");
            }
            this.port = port;
            return this;
        }

        public Builder tenantId(String tenantId) {
            if (!UUID.fromString(tenantId).toString().equals(tenantId)) {
                throw new IllegalArgumentException("'tenantId' must be a lower-case GUID");
            }
            this.tenantId = tenantId;
            return this;
        }

        /** Completes device-code and interactive sign-ins as this user without a page (null: off). */
        public Builder autoApprove(String username) {
            this.autoApprove = username;
            return this;
        }

        public Builder accessTokenLifetime(Duration lifetime) {
            this.accessTokenLifetime = positive(lifetime, "accessTokenLifetime");
            return this;
        }

        public Builder idTokenLifetime(Duration lifetime) {
            this.idTokenLifetime = positive(lifetime, "idTokenLifetime");
            return this;
        }

        public Builder refreshTokenLifetime(Duration lifetime) {
            this.refreshTokenLifetime = positive(lifetime, "refreshTokenLifetime");
            return this;
        }

        public Builder authorizationCodeLifetime(Duration lifetime) {
            this.authorizationCodeLifetime = positive(lifetime, "authorizationCodeLifetime");
            return this;
        }

        public Builder deviceCodeLifetime(Duration lifetime) {
            this.deviceCodeLifetime = positive(lifetime, "deviceCodeLifetime");
            return this;
        }

        /** The device-code polling interval, in whole seconds (at least 1, as the protocol counts in seconds). */
        public Builder deviceCodeInterval(Duration interval) {
            positive(interval, "deviceCodeInterval");
            if (interval.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("'deviceCodeInterval' must be whole seconds");
            }
            this.deviceCodeInterval = interval;
            return this;
        }

        public Builder signingKeyGracePeriod(Duration grace) {
            if (grace == null || grace.isNegative()) {
                throw new IllegalArgumentException("'signingKeyGracePeriod' must not be negative");
            }
            this.signingKeyGracePeriod = grace;
            return this;
        }

        /** The clock of tokens, codes and lifetimes (a test can move it to expire things without waiting). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
            return this;
        }

        /** Replaces the default users. */
        public Builder users(DemoUser... users) {
            this.users = List.of(users);
            return this;
        }

        /**
         * Replaces the default groups. Each member must name a user of the world. Replacing the users without
         * naming groups leaves the tenant without groups (the default groups name alice and bob).
         */
        public Builder groups(DemoGroup... groups) {
            this.groups = List.of(groups);
            return this;
        }

        /** Changes the local server's registration (the default is passed in). */
        public Builder localApp(UnaryOperator<AppRegistration> change) {
            this.local = Objects.requireNonNull(change, "'change' must not be null");
            return this;
        }

        /** Changes the remote server's registration (the default, already pre-authorizing the demo client). */
        public Builder remoteApp(UnaryOperator<AppRegistration> change) {
            this.remote = Objects.requireNonNull(change, "'change' must not be null");
            return this;
        }

        /** Changes the demo client's registration. */
        public Builder demoApp(UnaryOperator<AppRegistration> change) {
            this.demo = Objects.requireNonNull(change, "'change' must not be null");
            return this;
        }

        /** Adds another app registration. */
        public Builder app(AppRegistration app) {
            extraApps.add(Objects.requireNonNull(app, "'app' must not be null"));
            return this;
        }

        public Config build() {
            List<DemoUser> world = users != null ? users : List.of(
                    DemoUser.of("alice", "Alice Adams"),
                    DemoUser.of("bob", "Bob Baker", "Mail.Sender"));
            List<DemoGroup> memberships = groups != null ? groups : users != null ? List.of() : DemoGroup.defaults();
            // snippet:emulator-default-world-consent
            // GroupMember.Read.All needs an administrator's consent in Entra: here both servers hold it as
            // admin-consented delegated permissions, and the remote API exposes it to its pre-authorized demo client.
            AppRegistration localApp = local.apply(AppRegistration.publicClient("entra-mcp local server")
                    .withAppRoles("Mail.Sender")
                    .withDelegatedPermissions(GRAPH_APP_ID, "User.Read", "Mail.Send", "GroupMember.Read.All"));
            AppRegistration demoApp = demo.apply(AppRegistration.publicClient("entra-mcp demo client"));
            AppRegistration remoteApp = remote.apply(AppRegistration.confidentialClient("entra-mcp remote server")
                    .withRedirectUris("http://localhost/callback")
                    .withExposedScopes("User.Read", "Mail.Send", "GroupMember.Read.All")
                    .withAppRoles("Mail.Sender")
                    .withDelegatedPermissions(GRAPH_APP_ID, "User.Read", "Mail.Send", "GroupMember.Read.All")
                    .withPreAuthorizedClients(demoApp.clientId())
                    .withKnownClientApplications(demoApp.clientId()));
            // end-snippet
            List<AppRegistration> all = new ArrayList<>(List.of(localApp, remoteApp, demoApp));
            all.addAll(extraApps);
            // refuses duplicate client ids, user names or group ids, and groups naming unknown users, now, not at start
            new Directory(tenantId, world, memberships, all);
            if (autoApprove != null && world.stream().noneMatch(u -> u.answersTo(autoApprove))) {
                throw new IllegalArgumentException("'autoApprove' names no user: " + autoApprove);
            }
            String approved = autoApprove == null ? null : world.stream().filter(u -> u.answersTo(autoApprove))
                    .findFirst().orElseThrow().username();
            return new Config(this, world, memberships, all, localApp.clientId(), remoteApp.clientId(),
                    demoApp.clientId(), approved);
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("'" + name + "' must be positive");
            }
            return value;
        }
    }

    /** A built configuration; {@link #start()} brings an emulator up with it (fresh keys and certificate). */
    public static final class Config {
        private final int port;
        private final String tenantId;
        private final String autoApprove;
        private final Duration accessTokenLifetime;
        private final Duration idTokenLifetime;
        private final Duration refreshTokenLifetime;
        private final Duration authorizationCodeLifetime;
        private final Duration deviceCodeLifetime;
        private final Duration deviceCodeInterval;
        private final Duration signingKeyGracePeriod;
        private final Clock clock;
        private final List<DemoUser> users;
        private final List<DemoGroup> groups;
        private final List<AppRegistration> apps;
        private final String localClientId;
        private final String remoteClientId;
        private final String demoClientId;

        private Config(Builder b, List<DemoUser> users, List<DemoGroup> groups, List<AppRegistration> apps,
                       String localClientId, String remoteClientId, String demoClientId, String autoApprove) {
            this.port = b.port;
            this.tenantId = b.tenantId;
            this.autoApprove = autoApprove;
            this.accessTokenLifetime = b.accessTokenLifetime;
            this.idTokenLifetime = b.idTokenLifetime;
            this.refreshTokenLifetime = b.refreshTokenLifetime;
            this.authorizationCodeLifetime = b.authorizationCodeLifetime;
            this.deviceCodeLifetime = b.deviceCodeLifetime;
            this.deviceCodeInterval = b.deviceCodeInterval;
            this.signingKeyGracePeriod = b.signingKeyGracePeriod;
            this.clock = b.clock;
            this.users = List.copyOf(users);
            this.groups = List.copyOf(groups);
            this.apps = List.copyOf(apps);
            this.localClientId = localClientId;
            this.remoteClientId = remoteClientId;
            this.demoClientId = demoClientId;
        }

        /**
         * Generates keys and the TLS certificate, binds 127.0.0.1 and serves.
         *
         * @throws UncheckedIOException if the port cannot be bound
         */
        public EntraEmulator start() {
            return new EntraEmulator(this);
        }
    }
}
