package dev.entramcp.app.local;

import dev.entramcp.adapter.entra.EntraAuthority;
import dev.entramcp.adapter.entra.EntraPublicClient;
import dev.entramcp.adapter.entra.PublicClientConfig;
import dev.entramcp.adapter.entra.SignInMode;
import dev.entramcp.adapter.entra.cache.ProtectedTokenCache;
import dev.entramcp.adapter.entra.cache.TokenCacheConfig;
import dev.entramcp.adapter.graph.GraphAdapter;
import dev.entramcp.adapter.graph.GraphConfig;
import dev.entramcp.adapter.graph.GraphHttpClients;
import dev.entramcp.adapter.stdio.StdioMcpServer;
import dev.entramcp.adapter.stdio.StdioSignInPrompter;
import dev.entramcp.adapter.stdio.StdioTransportProvider;
import dev.entramcp.domain.port.out.RecordAuditEventPort;
import dev.entramcp.domain.service.CallToolService;
import dev.entramcp.domain.service.ListToolsService;
import dev.entramcp.domain.tool.GetUserProfileTool;
import dev.entramcp.domain.tool.ListMyGroupsTool;
import dev.entramcp.domain.tool.SendMailTool;
import dev.entramcp.domain.tool.ToolCatalog;
import dev.entramcp.domain.tool.WhoAmITool;
import dev.entramcp.emulator.EntraEmulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The local scenario's composition root: it builds the whole graph with {@code new}, with no
 * container, because an MCP client spawns this process on demand and start-up time counts.
 *
 * <p>Reading order: configuration → (demo only) the embedded emulator → the stdio transport →
 * Microsoft Graph → the tools → the Entra public client with its protected cache and sign-in
 * prompter, asking at sign-in for the scopes the tools require → the use cases → the server.
 */
public final class LocalApplication implements AutoCloseable {

    private static final Logger AUDIT = LoggerFactory.getLogger("audit");
    private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final Optional<EntraEmulator> emulator;
    private final EntraPublicClient entra;
    private final StdioMcpServer server;

    private LocalApplication(Optional<EntraEmulator> emulator, EntraPublicClient entra, StdioMcpServer server) {
        this.emulator = emulator;
        this.entra = entra;
        this.server = server;
    }

    /** Builds and starts everything; the server then serves stdin/stdout until stdin ends. */
    public static LocalApplication start(LocalConfiguration config, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Optional<EntraEmulator> emulator = config.demo() ? Optional.of(DemoMode.startEmulator(config, stderr)) : Optional.empty();

        StdioTransportProvider transport = new StdioTransportProvider(stdin, stdout, MAX_MESSAGE_BYTES);
        Optional<Trust> trust = trust(config, emulator);

        // Graph gets its tokens from the public client, which is built after the tools: it asks Entra
        // at sign-in for the scopes the tools require. This reference joins the two. Graph's HTTP
        // client and TLS are built on the first Graph call, not at start (see LazyGraph).
        AtomicReference<EntraPublicClient> signedIn = new AtomicReference<>();
        URI graphBaseUrl = emulator.map(EntraEmulator::graphBaseUrl).orElse(config.graphBaseUrl());
        LazyGraph graph = new LazyGraph(() -> new GraphAdapter(
                GraphConfig.of(graphBaseUrl, GraphConfig.microsoftGraph().scopePrefix()),
                trust.map(t -> GraphHttpClients.trusting(t.sslContext().get())).orElseGet(GraphHttpClients::standard),
                (caller, scopes) -> signedIn.get().acquireToken(caller, scopes),
                (caller, scopes) -> signedIn.get().refreshToken(caller, scopes)));

        // snippet:local-tool-catalog
        ToolCatalog tools = ToolCatalog.of(
                new WhoAmITool(),
                new GetUserProfileTool(graph),
                new SendMailTool(graph),
                new ListMyGroupsTool(graph));
        // end-snippet

        // snippet:local-sign-in-scopes
        Set<String> optedIn = emulator.isPresent() ? SignInScopes.adminConsentScopesOf(tools) : config.extraScopes();
        EntraPublicClient entra = new EntraPublicClient(
                publicClient(config, emulator, trust).withScopes(SignInScopes.of(tools, optedIn)),
                ProtectedTokenCache.open(TokenCacheConfig.at(cacheDir(config, emulator).resolve("token-cache.bin"))),
                new StdioSignInPrompter(transport, stderr));
        signedIn.set(entra);
        // end-snippet

        RecordAuditEventPort audit = event -> AUDIT.info(event.toJsonLine());
        Clock clock = Clock.systemUTC();
        StdioMcpServer server = StdioMcpServer.start(
                new StdioMcpServer.Settings("entra-mcp-local", version(), Duration.ofMinutes(5)),
                tools.descriptors(),
                new ListToolsService(tools, audit, clock),
                new CallToolService(tools, audit, clock),
                entra::signIn,
                transport);
        return new LocalApplication(emulator, entra, server);
    }

    /**
     * Signs out: deletes the cached tokens. It needs only the cache directory: no tenant, no client
     * id, no Entra client and not even the cache's key (a refused key file must not prevent it). A
     * demo has nothing to sign out of: its cache is temporary.
     */
    public static void signOut(LocalConfiguration config, PrintStream stderr) {
        if (config.demo()) {
            stderr.println("[entra-mcp] Nothing to sign out of: a demo run keeps its tokens in a temporary cache.");
            return;
        }
        boolean deleted = ProtectedTokenCache.delete(TokenCacheConfig.at(config.cacheDir().resolve("token-cache.bin")));
        stderr.println(deleted
                ? "[entra-mcp] Signed out: the token cache in " + config.cacheDir() + " is deleted."
                : "[entra-mcp] Already signed out: there is no token cache in " + config.cacheDir() + ".");
    }

    /**
     * Where the token cache lives. A demo run has an emulator of its own, new on every run, whose
     * tokens mean nothing to the next run: its cache is a temporary directory, deleted at exit.
     */
    private static Path cacheDir(LocalConfiguration config, Optional<EntraEmulator> emulator) {
        if (emulator.isEmpty()) {
            return config.cacheDir();
        }
        try {
            Path temporary = Files.createTempDirectory("entra-mcp-demo-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(temporary), "entra-mcp-demo-cleanup"));
            return temporary;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the demo's temporary token cache directory", e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // best effort: the temporary directory holds nothing that outlives the demo's emulator
        }
    }

    private static PublicClientConfig publicClient(LocalConfiguration config, Optional<EntraEmulator> emulator,
                                                   Optional<Trust> trust) {
        PublicClientConfig client;
        if (emulator.isPresent()) {
            EntraEmulator emu = emulator.get();
            client = PublicClientConfig.of(emu.apps().local().clientId(), EntraAuthority.local(emu.baseUrl(), emu.tenantId()))
                    .withSignInMode(SignInMode.DEVICE_CODE);
        } else {
            client = PublicClientConfig.of(config.clientId().orElseThrow(), authority(config))
                    .withSignInMode(SignInMode.parse(config.signInMode()));
        }
        PublicClientConfig waiting = client.withSignInWait(config.signInWait());
        return trust.map(t -> waiting.withSslSocketFactory(t.socketFactory())).orElse(waiting);
    }

    /**
     * The configured authority: Microsoft's public cloud, another cloud (instance discovery on),
     * or an authority on this machine (a stand-in such as the emulator: instance discovery off,
     * since it would ask login.microsoftonline.com about a host it cannot know).
     */
    static EntraAuthority authority(LocalConfiguration config) {
        URI authority = config.effectiveAuthority();
        String tenant = config.tenantId().orElseThrow();
        URI instance = URI.create(authority.getScheme() + "://" + authority.getRawAuthority());
        if (instance.equals(EntraAuthority.PUBLIC_CLOUD)) {
            return EntraAuthority.publicCloud(tenant);
        }
        String host = authority.getHost();
        boolean loopback = "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
        return loopback ? EntraAuthority.local(instance, tenant) : EntraAuthority.cloud(instance, tenant);
    }

    /**
     * Trust for a stand-in's self-signed certificate: the embedded emulator's context, or the PEM
     * file of {@code --trust-pem}, read now (a bad file stops the start) but turned into an
     * SSLContext only on the first connection (see {@link TrustedCertificates}).
     */
    private static Optional<Trust> trust(LocalConfiguration config, Optional<EntraEmulator> emulator) {
        if (emulator.isPresent()) {
            SSLContext context = emulator.get().sslContext();
            return Optional.of(new Trust(() -> context, context.getSocketFactory()));
        }
        return config.trustPem().map(TrustedCertificates::load)
                .map(pem -> new Trust(pem::sslContext, pem.lazySocketFactory()));
    }

    /** Where trust comes from: an SSLContext for Graph's HTTP client, a socket factory for msal4j. */
    private record Trust(Supplier<SSLContext> sslContext, SSLSocketFactory socketFactory) {
    }

    /** Starts signing in now, in the background, so the first tools/list finds the user signed in. */
    public void signInEarly() {
        Thread early = new Thread(() -> {
            try {
                entra.signIn();
            } catch (RuntimeException pendingOrFailed) {
                LoggerFactory.getLogger(LocalApplication.class).debug("Early sign-in did not complete yet: {}", pendingOrFailed.getMessage());
            }
        }, "entra-mcp-early-sign-in");
        early.setDaemon(true);
        early.start();
    }

    /** Blocks until the MCP client closes stdin. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Closes the server, then the token cache (flushing it), then the emulator; safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.close();
        entra.close();
        emulator.ifPresent(EntraEmulator::close);
    }

    private static String version() {
        String version = LocalApplication.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
