package dev.entramcp.adapter.http.facade;

import dev.entramcp.adapter.http.transport.TokenBucketLimiter;
import io.micronaut.http.HttpRequest;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What an anonymous client may ask of the facade. Its endpoints take no token, so the only thing
 * to key a limit by is where a request comes from:
 * <ul>
 *   <li>{@code /authorize} (each valid one stores a consent record and may fetch a metadata
 *       document), {@code /register} (each stores a client) and {@code /token} with
 *       {@code /revoke} each have a token bucket per client address;</li>
 *   <li>consent pages awaiting an answer are bounded server-wide, whatever the addresses: a bucket
 *       holding {@code maxPendingAuthorizations} that refills as fast over the ten minutes a consent
 *       page lives, so at most twice that many consent records ever exist at once.</li>
 * </ul>
 *
 * <p>The address is the TCP peer's. Behind a reverse proxy every request has the proxy's address,
 * so the limits would count all users together: set {@code trustForwardedFor}, and the rightmost
 * {@code X-Forwarded-For} entry (the one the proxy itself added) is used instead. It is off by
 * default because a client that speaks to the server directly can write that header itself. An
 * IPv6 address counts by its {@code /64}, the block one subscriber usually gets, so that one
 * client cannot escape the limit by walking its own addresses.
 *
 * <p>There is deliberately no limit per {@code client_id} on these endpoints: a client id is no
 * secret (every access token names it), and a metadata-document client id is shared by every user
 * of that application, so anyone could spend another client's budget and lock its users out. The
 * per-address limits, the server-wide bound above, and the metadata document fetcher's own bounds
 * (a concurrency cap, and refusals remembered for a while) cover what one client id could cost.
 */
final class RequestLimits {

    /** The endpoint families limited per client address. */
    enum Endpoint {
        AUTHORIZE, REGISTER, TOKEN
    }

    private static final String ALL = "all";

    private final TokenBucketLimiter<String> authorize;
    private final TokenBucketLimiter<String> register;
    private final TokenBucketLimiter<String> token;
    private final TokenBucketLimiter<String> pendingAuthorizations;
    private final boolean trustForwardedFor;

    RequestLimits(FacadeSettings.LimitSettings settings, LongSupplier nanoTime) {
        Objects.requireNonNull(settings, "'settings' must not be null");
        this.authorize = TokenBucketLimiter.perMinute(settings.authorizePerMinute(), settings.maxTrackedAddresses(), nanoTime);
        this.register = TokenBucketLimiter.perMinute(settings.registerPerMinute(), settings.maxTrackedAddresses(), nanoTime);
        this.token = TokenBucketLimiter.perMinute(settings.tokenPerMinute(), settings.maxTrackedAddresses(), nanoTime);
        this.pendingAuthorizations = new TokenBucketLimiter<>(
                settings.maxPendingAuthorizations() / (double) FacadeSettings.AUTHORIZATION_LIFETIME.toSeconds(),
                settings.maxPendingAuthorizations(), 1, nanoTime);
        this.trustForwardedFor = settings.trustForwardedFor();
    }

    /** Takes one request of {@code endpoint} for the request's client address; how long to wait if over. */
    Optional<Duration> tryAcquire(Endpoint endpoint, HttpRequest<?> request) {
        String address = clientAddress(request);
        return switch (endpoint) {
            case AUTHORIZE -> authorize.tryAcquire(address);
            case REGISTER -> register.tryAcquire(address);
            case TOKEN -> token.tryAcquire(address);
        };
    }

    /** Whether one more consent page may be stored now (server-wide). */
    boolean admitPendingAuthorization() {
        return pendingAuthorizations.tryAcquire(ALL).isEmpty();
    }

    /** The key of the request's client address (see the class comment). */
    String clientAddress(HttpRequest<?> request) {
        if (trustForwardedFor) {
            Optional<InetAddress> forwarded = rightmostForwardedFor(request.getHeaders().getAll("X-Forwarded-For"));
            if (forwarded.isPresent()) {
                return key(forwarded.get());
            }
        }
        InetSocketAddress peer = request.getRemoteAddress();
        return peer == null || peer.getAddress() == null ? "unknown" : key(peer.getAddress());
    }

    private static Optional<InetAddress> rightmostForwardedFor(List<String> headers) {
        if (headers.isEmpty()) {
            return Optional.empty();
        }
        String[] entries = headers.get(headers.size() - 1).split(",");
        String last = entries[entries.length - 1].strip();
        if (last.startsWith("[") && last.contains("]")) {
            last = last.substring(1, last.indexOf(']'));
        }
        boolean literal = last.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (last.contains(":") && last.matches("[0-9A-Fa-f:.]{2,45}"));
        if (!literal) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(last)); // a literal: no name lookup
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(address.getAddress(), 8);
            return "v6:" + RandomValues.base64url(prefix);
        }
        return address.getHostAddress();
    }
}
