package dev.entramcp.bench.http;

import dev.entramcp.adapter.http.auth.SecurityChainGuard;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.security.filters.SecurityFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Benchmark H2 only: stands in for adapters-http's {@link SecurityChainGuard}, which refuses, on
 * purpose, a server whose security filter is off. With
 * {@code entramcp.bench.unauthenticated-loopback-caller=true} (and only in the benchmark jar) it
 * allows exactly that, and refuses to start unless
 * <ul>
 *   <li>{@code micronaut.server.host} is set and every address it resolves to is a loopback
 *       address (no host means every interface: refused);</li>
 *   <li>no extra Netty listener is configured ({@code micronaut.server.netty.listeners.*}, each of
 *       which could bind another address);</li>
 *   <li>micronaut-security's filter really is off ({@code micronaut.security.filter.enabled=false}):
 *       half of each would be neither a benchmark of "auth off" nor a secure server.</li>
 * </ul>
 * It then logs, loudly, that nothing authenticates the MCP endpoints.
 */
@Context
@Replaces(SecurityChainGuard.class)
@Requires(property = UnauthenticatedLoopbackCaller.SWITCH, value = "true")
public final class LoopbackOnlyGuard {

    private static final Logger LOG = LoggerFactory.getLogger(LoopbackOnlyGuard.class);

    public LoopbackOnlyGuard(Environment environment, BeanContext context) {
        String host = environment.getProperty("micronaut.server.host", String.class).orElse(null);
        Optional<String> refusal = refusal(host, environment.containsProperties("micronaut.server.netty.listeners"),
                context.containsBean(SecurityFilter.class));
        if (refusal.isPresent()) {
            throw new IllegalStateException(refusal.get());
        }
        LOG.warn("""

                ******************************************************************************
                *  AUTHENTICATION IS OFF: entramcp.bench.unauthenticated-loopback-caller=true
                *  Every MCP request on {} is served as one fixed caller, without a token.
                *  This is the benchmark jar's H2 mode (bench/README.md). Never use it otherwise.
                ******************************************************************************""", host);
    }

    /** Why the server must not start in this mode, or empty when it may. */
    static Optional<String> refusal(String host, boolean extraListeners, boolean securityFilterPresent) {
        Optional<String> exposed = UnauthenticatedLoopbackCaller.nonLoopbackReason(host);
        if (exposed.isPresent()) {
            return Optional.of(UnauthenticatedLoopbackCaller.SWITCH + " refuses to start: " + exposed.get()
                    + ". Authentication can be switched off for a benchmark on a loopback address only.");
        }
        if (extraListeners) {
            return Optional.of(UnauthenticatedLoopbackCaller.SWITCH
                    + " refuses to start: micronaut.server.netty.listeners.* may bind other addresses; remove them.");
        }
        if (securityFilterPresent) {
            return Optional.of(UnauthenticatedLoopbackCaller.SWITCH
                    + " needs micronaut.security.filter.enabled=false as well: it replaces the whole authentication layer.");
        }
        return Optional.empty();
    }
}
