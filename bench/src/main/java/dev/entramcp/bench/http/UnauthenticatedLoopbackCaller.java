package dev.entramcp.bench.http;

import dev.entramcp.domain.model.CallerIdentity;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Benchmark H2 only: the one caller every MCP request is attributed to when authentication is
 * switched off, see {@link LoopbackOnlyGuard} and {@link FixedCallerFilter}. It exists only in
 * the benchmark jar ({@code bench/target/remote-bench.jar}), and only with
 * {@code entramcp.bench.unauthenticated-loopback-caller=true}.
 *
 * <p>It starts empty, and an empty holder attributes nothing: requests are then refused 401 by
 * adapters-http's {@code CallerRequiredFilter}. {@link BenchRemoteServer} fills it with the caller
 * of a real token, verified once by the server's own {@code BearerTokenVerifier}, so that H1 and
 * H2 run the same tool code for the same caller.
 */
@Singleton
@Requires(property = UnauthenticatedLoopbackCaller.SWITCH, value = "true")
public final class UnauthenticatedLoopbackCaller {

    /** The switch. Off unless set to exactly {@code true}; unknown to every production jar. */
    public static final String SWITCH = "entramcp.bench.unauthenticated-loopback-caller";

    private volatile Attributed attributed;

    /** The caller requests are attributed to, and the expiry of the token it was verified from. */
    public record Attributed(CallerIdentity caller, Instant expiresAt) {
        public Attributed {
            Objects.requireNonNull(caller, "'caller' must not be null");
            Objects.requireNonNull(expiresAt, "'expiresAt' must not be null");
        }
    }

    public void use(CallerIdentity caller, Instant expiresAt) {
        attributed = new Attributed(caller, expiresAt);
    }

    public Optional<Attributed> current() {
        return Optional.ofNullable(attributed);
    }

    /**
     * Why binding to {@code host} would expose the server beyond this machine, or empty when every
     * address the name resolves to is a loopback address. No host at all means every interface.
     */
    static Optional<String> nonLoopbackReason(String host) {
        if (host == null || host.isBlank()) {
            return Optional.of("micronaut.server.host is not set, so the server would listen on every interface");
        }
        String name = host.strip();
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException unknown) {
            return Optional.of("micronaut.server.host '" + host + "' does not resolve");
        }
        List<String> exposed = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (!address.isLoopbackAddress()) {
                exposed.add(address.getHostAddress());
            }
        }
        return exposed.isEmpty() ? Optional.empty()
                : Optional.of("micronaut.server.host '" + host + "' is not a loopback address (" + String.join(", ", exposed) + ")");
    }
}
