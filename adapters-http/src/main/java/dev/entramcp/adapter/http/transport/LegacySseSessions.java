package dev.entramcp.adapter.http.transport;

import dev.entramcp.domain.model.PrincipalId;
import io.micronaut.context.annotation.Requires;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.ProtocolVersions;
import io.modelcontextprotocol.util.KeepAliveScheduler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05) on the SDK's {@link McpServerTransportProvider}
 * SPI: a session lives exactly as long as its {@code GET /sse} stream, and the client posts its
 * messages to {@code /message?sessionId=...}; every answer travels back on the stream.
 *
 * <p>As with Streamable HTTP, a session is bound to the principal that opened the stream, and a
 * session id presented by anyone else is answered like an unknown one. Streams are pinged with
 * the SDK's {@link KeepAliveScheduler} so that idle timeouts do not cut them, and end when the
 * opening token expires ({@link StreamDeadline}), which ends the session. One principal may hold
 * at most {@code max-sessions-per-principal} open streams, as on Streamable HTTP: one more closes
 * its oldest, so that abandoned streams cannot lock out a live client nor pile up without bound.
 */
@Singleton
@Requires(property = "entramcp.mcp.legacy-sse.enabled", notEquals = "false")
public final class LegacySseSessions implements McpServerTransportProvider {

    /** Where legacy clients post their messages. */
    public static final String MESSAGE_PATH = "/message";

    private static final Logger LOG = LoggerFactory.getLogger(LegacySseSessions.class);

    private final Map<String, LegacySession> sessions = new ConcurrentHashMap<>();
    private final Object opening = new Object();
    private final AtomicLong opened = new AtomicLong();
    private final int maxSessionsPerPrincipal;
    private final KeepAliveScheduler keepAlive;
    private volatile McpServerSession.Factory sessionFactory;
    private volatile boolean closing;

    public LegacySseSessions(McpTransportSettings settings) {
        this.maxSessionsPerPrincipal = settings.maxSessionsPerPrincipal();
        this.keepAlive = KeepAliveScheduler
                .builder(() -> closing ? Flux.empty() : Flux.fromIterable(sessions.values()).map(LegacySession::session))
                .initialDelay(settings.keepAliveInterval())
                .interval(settings.keepAliveInterval())
                .build();
        this.keepAlive.start();
    }

    /** A legacy session, the principal it belongs to, the stream that carries its answers, and when it opened. */
    record LegacySession(McpServerSession session, PrincipalId owner, SseEventStream stream, long sequence) {
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory sessionFactory) {
        this.sessionFactory = sessionFactory;
    }

    boolean isClosing() {
        return closing;
    }

    /** Opens a session for {@code owner} on {@code stream} and tells the client where to post. */
    LegacySession open(PrincipalId owner, SseEventStream stream) {
        McpServerSession.Factory factory = sessionFactory;
        if (factory == null) {
            throw new IllegalStateException("The MCP server has not been started");
        }
        McpServerSession session = factory.create(stream);
        LegacySession legacy = new LegacySession(session, owner, stream, opened.incrementAndGet());
        synchronized (opening) {
            closeOldestBeyondTheCap(owner);
            sessions.put(session.getId(), legacy);
        }
        stream.onClose(() -> {
            if (sessions.remove(session.getId(), legacy)) {
                session.closeGracefully().onErrorComplete().subscribe();
            }
        });
        stream.sendRaw("endpoint", MESSAGE_PATH + "?sessionId=" + session.getId());
        return legacy;
    }

    /** Makes room for one more stream of {@code owner}: ends its oldest ones beyond the cap, and their sessions. */
    private void closeOldestBeyondTheCap(PrincipalId owner) {
        List<LegacySession> owned = sessions.values().stream()
                .filter(legacy -> legacy.owner().equals(owner))
                .sorted(Comparator.comparingLong(LegacySession::sequence))
                .toList();
        int excess = owned.size() - maxSessionsPerPrincipal + 1;
        for (int i = 0; i < excess; i++) {
            LegacySession oldest = owned.get(i);
            if (sessions.remove(oldest.session().getId(), oldest)) {
                oldest.session().closeGracefully().onErrorComplete().subscribe();
                oldest.stream().close();
            }
        }
        if (excess > 0) {
            LOG.info("Principal {} reached {} open legacy SSE streams: closed its oldest one(s) ({})",
                    owner.asKey(), maxSessionsPerPrincipal, excess);
        }
    }

    /** The session of that id, if it exists and belongs to {@code principal}. */
    Optional<LegacySession> find(String sessionId, PrincipalId principal) {
        LegacySession legacy = sessionId == null ? null : sessions.get(sessionId);
        if (legacy == null) {
            return Optional.empty();
        }
        if (!legacy.owner().equals(principal)) {
            LOG.warn("A legacy SSE session id was presented by another principal ({}); answered as unknown",
                    principal.asKey());
            return Optional.empty();
        }
        return Optional.of(legacy);
    }

    int sessionCount() {
        return sessions.size();
    }

    @Override
    public List<String> protocolVersions() {
        return List.of(ProtocolVersions.MCP_2024_11_05);
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Flux.fromIterable(sessions.values())
                .flatMap(legacy -> legacy.session().sendNotification(method, params).onErrorComplete())
                .then();
    }

    @Override
    public Mono<Void> notifyClient(String sessionId, String method, Object params) {
        return Mono.defer(() -> {
            LegacySession legacy = sessions.get(Objects.requireNonNull(sessionId, "'sessionId' must not be null"));
            return legacy == null ? Mono.empty() : legacy.session().sendNotification(method, params);
        });
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.defer(() -> {
            closing = true;
            keepAlive.stop();
            List<LegacySession> open = List.copyOf(sessions.values());
            sessions.clear();
            return Flux.fromIterable(open)
                    .flatMap(legacy -> legacy.session().closeGracefully().onErrorComplete())
                    .then();
        });
    }
}
