package dev.entramcp.adapter.http.transport;

import dev.entramcp.domain.model.PrincipalId;
import io.micronaut.context.annotation.Requires;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.ProtocolVersions;
import io.modelcontextprotocol.util.KeepAliveScheduler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The stateful Streamable HTTP transport's session registry, implementing the SDK's transport
 * SPI ({@link McpStreamableServerTransportProvider}) for Micronaut instead of a servlet.
 *
 * <p>Each session is <b>bound to the principal</b> ({@code tid} + {@code oid}) that initialised
 * it. A session id is a bearer of state, not of identity: presented by anyone else, it is
 * treated exactly like an unknown id (404), so that its existence is not revealed either. A token
 * refresh keeps the session (same principal); another user's token never reaches it.
 *
 * <p>Sessions are evicted after {@code session-idle-timeout} without a request (the SDK never
 * evicts them). One principal may hold at most {@code max-sessions-per-principal} live sessions
 * (32 by default): initialising one more closes that principal's least recently used session,
 * whose id is then unknown (404). A client that meets a 404 for its session id must start a new
 * session (MCP 2025-11-25, Session Management), so a well-behaved client recovers; refusing the
 * new {@code initialize} instead would lock out the principal's newest, live client because of
 * sessions abandoned without a DELETE. One user cannot fill the server's memory with sessions, and
 * other principals' sessions are never touched. Sessions with an open listening stream are pinged every
 * {@code keep-alive-interval} with the SDK's {@link KeepAliveScheduler}, which keeps the stream
 * from being cut by the HTTP server's idle timeouts; the client's answers count as activity.
 */
@Singleton
@Requires(property = "entramcp.mcp.mode", notEquals = "stateless")
public final class StreamableHttpSessions implements McpStreamableServerTransportProvider {

    private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpSessions.class);

    private final Map<String, BoundSession> sessions = new ConcurrentHashMap<>();
    private final Duration idleTimeout;
    private final int maxSessionsPerPrincipal;
    /** Orders uses strictly (two uses can share a clock instant), to find a principal's least recently used session. */
    private final AtomicLong uses = new AtomicLong();
    private final Object starting = new Object();
    private final Clock clock;
    private final KeepAliveScheduler keepAlive;
    private final Disposable evictor;
    private volatile McpStreamableServerSession.Factory sessionFactory;
    private volatile boolean closing;

    public StreamableHttpSessions(McpTransportSettings settings) {
        this(settings, Clock.systemUTC());
    }

    StreamableHttpSessions(McpTransportSettings settings, Clock clock) {
        this.idleTimeout = settings.sessionIdleTimeout();
        this.maxSessionsPerPrincipal = settings.maxSessionsPerPrincipal();
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.keepAlive = KeepAliveScheduler
                .builder(() -> closing ? Flux.empty() : Flux.fromIterable(sessions.values())
                        .filter(BoundSession::hasOpenStream)
                        .map(BoundSession::session))
                .initialDelay(settings.keepAliveInterval())
                .interval(settings.keepAliveInterval())
                .build();
        this.keepAlive.start();
        Duration sweep = sweepPeriod(idleTimeout);
        this.evictor = Flux.interval(sweep, sweep, Schedulers.parallel())
                .subscribe(tick -> evictIdleSessions(clock.instant()));
    }

    /** A session and the principal it belongs to. */
    static final class BoundSession {
        private final McpStreamableServerSession session;
        private final PrincipalId owner;
        private final AtomicReference<Instant> lastSeen;
        private final AtomicReference<SseEventStream> listening = new AtomicReference<>();
        private volatile long lastUse;

        BoundSession(McpStreamableServerSession session, PrincipalId owner, Instant now, long use) {
            this.session = session;
            this.owner = owner;
            this.lastSeen = new AtomicReference<>(now);
            this.lastUse = use;
        }

        McpStreamableServerSession session() {
            return session;
        }

        String id() {
            return session.getId();
        }

        boolean hasOpenStream() {
            SseEventStream stream = listening.get();
            return stream != null && stream.isOpen();
        }
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        this.sessionFactory = sessionFactory;
    }

    boolean isClosing() {
        return closing;
    }

    /** Starts a session for {@code owner}; the init result is the answer to {@code initialize}. */
    McpStreamableServerSession.McpStreamableServerSessionInit start(McpSchema.InitializeRequest request, PrincipalId owner) {
        McpStreamableServerSession.Factory factory = sessionFactory;
        if (factory == null) {
            throw new IllegalStateException("The MCP server has not been started");
        }
        McpStreamableServerSession.McpStreamableServerSessionInit init = factory.startSession(request);
        synchronized (starting) {
            closeLeastRecentlyUsedBeyondTheCap(owner);
            sessions.put(init.session().getId(), new BoundSession(init.session(), owner, clock.instant(), uses.incrementAndGet()));
        }
        return init;
    }

    /** Makes room for one more session of {@code owner}: closes its least recently used ones beyond the cap. */
    private void closeLeastRecentlyUsedBeyondTheCap(PrincipalId owner) {
        List<BoundSession> owned = sessions.values().stream()
                .filter(bound -> bound.owner.equals(owner))
                .sorted(Comparator.comparingLong(bound -> bound.lastUse))
                .toList();
        int excess = owned.size() - maxSessionsPerPrincipal + 1;
        for (int i = 0; i < excess; i++) {
            BoundSession oldest = owned.get(i);
            if (sessions.remove(oldest.id(), oldest)) {
                oldest.session.closeGracefully().onErrorComplete().subscribe();
            }
        }
        if (excess > 0) {
            LOG.info("Principal {} reached {} live MCP sessions: closed its least recently used one(s) ({})",
                    owner.asKey(), maxSessionsPerPrincipal, excess);
        }
    }

    /** The session of that id, if it exists <em>and</em> belongs to {@code principal}; it counts as activity. */
    Optional<BoundSession> find(String sessionId, PrincipalId principal) {
        BoundSession bound = sessionId == null ? null : sessions.get(sessionId);
        if (bound == null) {
            return Optional.empty();
        }
        if (!bound.owner.equals(principal)) {
            LOG.warn("A session id was presented by another principal ({}); answered as unknown", principal.asKey());
            return Optional.empty();
        }
        bound.lastSeen.set(clock.instant());
        bound.lastUse = uses.incrementAndGet();
        return Optional.of(bound);
    }

    /** Ends the session if it belongs to {@code principal}; false when it is unknown to that principal. */
    Mono<Boolean> delete(String sessionId, PrincipalId principal) {
        Optional<BoundSession> bound = find(sessionId, principal);
        if (bound.isEmpty() || !sessions.remove(sessionId, bound.get())) {
            return Mono.just(false);
        }
        return bound.get().session.delete().onErrorComplete().thenReturn(true);
    }

    /**
     * Makes {@code stream} the session's listening stream. A stream opened earlier is closed: the
     * server sends each message on one stream only, and a client that reconnects after a network
     * failure must not be refused because the old stream has not been noticed dead yet.
     */
    void openListeningStream(BoundSession bound, SseEventStream stream) {
        McpStreamableServerSession.McpStreamableServerSessionStream sdkStream = bound.session.listeningStream(stream);
        stream.onClose(() -> {
            bound.listening.compareAndSet(stream, null);
            sdkStream.close();
        });
        SseEventStream previous = bound.listening.getAndSet(stream);
        if (previous != null) {
            previous.close();
        }
    }

    /** Closes the sessions idle since before {@code now - session-idle-timeout}; returns how many. */
    int evictIdleSessions(Instant now) {
        Instant cutoff = now.minus(idleTimeout);
        int evicted = 0;
        for (BoundSession bound : List.copyOf(sessions.values())) {
            if (bound.lastSeen.get().isBefore(cutoff) && sessions.remove(bound.id(), bound)) {
                evicted++;
                bound.session.closeGracefully()
                        .onErrorComplete()
                        .subscribe();
            }
        }
        if (evicted > 0) {
            LOG.info("Evicted {} idle MCP session(s)", evicted);
        }
        return evicted;
    }

    int sessionCount() {
        return sessions.size();
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Flux.fromIterable(sessions.values())
                .flatMap(bound -> bound.session.sendNotification(method, params).onErrorComplete())
                .then();
    }

    @Override
    public Mono<Void> notifyClient(String sessionId, String method, Object params) {
        return Mono.defer(() -> {
            BoundSession bound = sessions.get(sessionId);
            return bound == null ? Mono.empty() : bound.session.sendNotification(method, params);
        });
    }

    @Override
    public List<String> protocolVersions() {
        return List.of(ProtocolVersions.MCP_2025_03_26, ProtocolVersions.MCP_2025_06_18,
                ProtocolVersions.MCP_2025_11_25);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.defer(() -> {
            closing = true;
            keepAlive.stop();
            evictor.dispose();
            List<BoundSession> open = List.copyOf(sessions.values());
            sessions.clear();
            return Flux.fromIterable(open)
                    .flatMap(bound -> bound.session.closeGracefully().onErrorComplete())
                    .then();
        });
    }

    private static Duration sweepPeriod(Duration idleTimeout) {
        Duration quarter = idleTimeout.dividedBy(4);
        Duration capped = quarter.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : quarter;
        return capped.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : capped;
    }
}
