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
import dev.entramcp.domain.tool.SendMailTool;
import dev.entramcp.domain.tool.ToolCatalog;
import dev.entramcp.domain.tool.WhoAmITool;
import dev.entramcp.emulator.EntraEmulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The local scenario's composition root: it builds the whole graph with {@code new}, with no
 * container, because an MCP client spawns this process on demand and start-up time counts.
 *
 * <p>Reading order: configuration → (demo only) the embedded emulator → the stdio transport and
 * its sign-in prompter → the Entra public client with its protected cache → Microsoft Graph →
 * the tools → the use cases → the server.
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
        Optional<SSLContext> trust = trust(config, emulator);
        EntraPublicClient entra = new EntraPublicClient(publicClient(config, emulator, trust),
                ProtectedTokenCache.open(TokenCacheConfig.at(config.cacheDir().resolve("token-cache.bin"))),
                new StdioSignInPrompter(transport, stderr));

        URI graphBaseUrl = emulator.map(EntraEmulator::graphBaseUrl).orElse(config.graphBaseUrl());
        GraphAdapter graph = new GraphAdapter(GraphConfig.of(graphBaseUrl, GraphConfig.microsoftGraph().scopePrefix()),
                trust.map(GraphHttpClients::trusting).orElseGet(GraphHttpClients::standard), entra);

        ToolCatalog tools = ToolCatalog.of(
                new WhoAmITool(),
                new GetUserProfileTool(graph),
                new SendMailTool(graph));

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

    /** Signs out: deletes the cached tokens. */
    public static void signOut(LocalConfiguration config, PrintStream stderr) {
        Optional<EntraEmulator> emulator = config.demo() ? Optional.of(DemoMode.startEmulator(config, stderr)) : Optional.empty();
        try (EntraPublicClient entra = new EntraPublicClient(publicClient(config, emulator, trust(config, emulator)),
                ProtectedTokenCache.open(TokenCacheConfig.at(config.cacheDir().resolve("token-cache.bin"))),
                prompt -> stderr.println(prompt.message()))) {
            entra.signOut();
            stderr.println("[entra-mcp] Signed out: the token cache in " + config.cacheDir() + " is cleared.");
        } finally {
            emulator.ifPresent(EntraEmulator::close);
        }
    }

    private static PublicClientConfig publicClient(LocalConfiguration config, Optional<EntraEmulator> emulator,
                                                   Optional<SSLContext> trust) {
        PublicClientConfig client;
        if (emulator.isPresent()) {
            EntraEmulator emu = emulator.get();
            client = PublicClientConfig.of(emu.apps().local().clientId(), EntraAuthority.local(emu.baseUrl(), emu.tenantId()))
                    .withSignInMode(SignInMode.DEVICE_CODE);
        } else {
            client = PublicClientConfig.of(config.clientId().orElseThrow(), authority(config))
                    .withSignInMode(SignInMode.parse(config.signInMode()));
        }
        return trust.map(context -> client.withSslSocketFactory(context.getSocketFactory())).orElse(client);
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

    private static Optional<SSLContext> trust(LocalConfiguration config, Optional<EntraEmulator> emulator) {
        if (emulator.isPresent()) {
            return Optional.of(emulator.get().sslContext());
        }
        return config.trustPem().map(TrustedCertificates::sslContext);
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
