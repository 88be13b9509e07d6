package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.auth.AuthenticatedCaller;
import dev.entramcp.adapter.http.auth.AuthenticationRefusals;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.CorrelationId;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The checks every MCP endpoint makes before reading a message, in order: an authenticated
 * caller, the caller's rate limit (429 with {@code Retry-After}), then the media types, the body
 * size and the protocol version; for a POST to {@code /mcp}, {@link #admitMessage} makes them all
 * and reads the JSON-RPC message too, the same way in stateful and stateless mode. Each of the
 * transport's own refusals carries a JSON-RPC error body without an {@code id}.
 *
 * <p>A missing caller is defence in depth only (micronaut-security, {@code McpEndpointsSecurityRule}
 * and {@code CallerRequiredFilter} answer first), and is answered by the authentication layer's
 * own {@link AuthenticationRefusals}, so that a 401 looks the same whichever check caught it.
 */
@Singleton
public final class RequestGate {

    private final AuthenticationRefusals authenticationRefusals;
    private final Optional<PrincipalRateLimiter> rateLimiter;
    private final JsonRpcCodec codec;
    private final long maxBodyBytes;

    public RequestGate(AuthenticationRefusals authenticationRefusals, McpTransportSettings settings,
                       Optional<PrincipalRateLimiter> rateLimiter, JsonRpcCodec codec) {
        this.authenticationRefusals = Objects.requireNonNull(authenticationRefusals,
                "'authenticationRefusals' must not be null");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "'rateLimiter' must not be null");
        this.codec = Objects.requireNonNull(codec, "'codec' must not be null");
        this.maxBodyBytes = settings.maxBodyBytes();
    }

    /** The outcome of the first checks: go on with this caller, or answer with this refusal. */
    public sealed interface Admission permits Admitted, Refused {
    }

    /** The request may proceed; {@code correlationId} ties its log and audit lines together. */
    public record Admitted(CallerIdentity caller, CorrelationId correlationId) implements Admission {
    }

    public record Refused(MutableHttpResponse<?> response) implements Admission, MessageAdmission {
    }

    /** The outcome of {@link #admitMessage}: go on with this caller and message, or answer with this refusal. */
    public sealed interface MessageAdmission permits AdmittedMessage, Refused {
    }

    /** A POSTed JSON-RPC message that passed every check, and its admitted caller. */
    public record AdmittedMessage(CallerIdentity caller, CorrelationId correlationId, McpSchema.JSONRPCMessage message)
            implements MessageAdmission {
    }

    /** Checks the caller and its rate limit. */
    public Admission admit(HttpRequest<?> request) {
        Optional<CallerIdentity> caller = AuthenticatedCaller.of(request);
        if (caller.isEmpty()) {
            return new Refused(authenticationRefusals.unauthorized(request));
        }
        if (rateLimiter.isPresent()) {
            Optional<Duration> retryAfter = rateLimiter.get().tryAcquire(caller.get().principal());
            if (retryAfter.isPresent()) {
                long seconds = Math.max(1, (retryAfter.get().toMillis() + 999) / 1000);
                return new Refused(McpHttpResponses.jsonRpcError(429, codec.error(JsonRpcCodec.RATE_LIMITED,
                                "Too many requests: retry after " + seconds + " second(s)"))
                        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
            }
        }
        return new Admitted(caller.get(), CorrelationId.random());
    }

    /**
     * Every check of a POST to the Streamable HTTP endpoint, stateful or stateless, in order: the
     * caller and its rate limit ({@link #admit}), a JSON body, an {@code Accept} listing JSON and
     * SSE, the body size, a well-formed JSON-RPC message (400 with its error code otherwise), and,
     * for anything but {@code initialize} (which negotiates the version), the protocol version.
     */
    public MessageAdmission admitMessage(HttpRequest<?> request, String body, Collection<String> protocolVersions) {
        Admission admission = admit(request);
        if (admission instanceof Refused refused) {
            return refused;
        }
        Admitted admitted = (Admitted) admission;
        Optional<MutableHttpResponse<?>> refusal = requireJsonContent(request)
                .or(() -> requireAccept(request, MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM))
                .or(() -> requireBodySize(body));
        if (refusal.isPresent()) {
            return new Refused(refusal.get());
        }
        JsonRpcCodec.Inbound inbound = codec.read(body);
        if (inbound instanceof JsonRpcCodec.Invalid invalid) {
            return new Refused(McpHttpResponses.jsonRpcError(400, codec.error(invalid.code(), invalid.message())));
        }
        McpSchema.JSONRPCMessage message = ((JsonRpcCodec.Valid) inbound).message();
        boolean initialize = message instanceof McpSchema.JSONRPCRequest rpc && McpSchema.METHOD_INITIALIZE.equals(rpc.method());
        Optional<MutableHttpResponse<?>> versionRefusal = initialize ? Optional.empty()
                : requireProtocolVersion(request, protocolVersions);
        if (versionRefusal.isPresent()) {
            return new Refused(versionRefusal.get());
        }
        return new AdmittedMessage(admitted.caller(), admitted.correlationId(), message);
    }

    /** 415 unless the body is declared as JSON. */
    public Optional<MutableHttpResponse<?>> requireJsonContent(HttpRequest<?> request) {
        Optional<MediaType> type = request.getContentType();
        if (type.isPresent() && type.get().getName().equalsIgnoreCase(MediaType.APPLICATION_JSON)) {
            return Optional.empty();
        }
        return Optional.of(McpHttpResponses.jsonRpcError(415, codec.error(JsonRpcCodec.INVALID_REQUEST,
                "Unsupported Media Type: Content-Type must be application/json")));
    }

    /** 406 unless the {@code Accept} header admits every one of {@code required}. */
    public Optional<MutableHttpResponse<?>> requireAccept(HttpRequest<?> request, String... required) {
        Collection<String> accept = request.getHeaders().getAll(HttpHeaders.ACCEPT);
        for (String type : required) {
            if (!accepts(accept, type)) {
                return Optional.of(McpHttpResponses.jsonRpcError(406, codec.error(JsonRpcCodec.INVALID_REQUEST,
                        "Not Acceptable: the Accept header must list " + String.join(" and ", required))));
            }
        }
        return Optional.empty();
    }

    /** 413 when the body is larger than {@code entramcp.mcp.max-body-bytes}. */
    public Optional<MutableHttpResponse<?>> requireBodySize(String body) {
        if (body != null && body.length() > 0 && body.getBytes(StandardCharsets.UTF_8).length > maxBodyBytes) {
            return Optional.of(tooLarge());
        }
        return Optional.empty();
    }

    /** The 413 answer. */
    public MutableHttpResponse<?> tooLarge() {
        return McpHttpResponses.jsonRpcError(413, codec.error(JsonRpcCodec.INVALID_REQUEST,
                "Payload Too Large: the request body exceeds " + maxBodyBytes + " bytes"));
    }

    /** The 503 answer to new work while the transport is closing (the application is shutting down). */
    public MutableHttpResponse<?> shuttingDown() {
        return McpHttpResponses.jsonRpcError(503, codec.error(JsonRpcCodec.INTERNAL_ERROR,
                "Service Unavailable: the server is shutting down"));
    }

    /**
     * 400 when {@code MCP-Protocol-Version} names a version this transport does not speak.
     * Without the header, the spec says to assume 2025-03-26, which every transport here speaks.
     */
    public Optional<MutableHttpResponse<?>> requireProtocolVersion(HttpRequest<?> request, Collection<String> supported) {
        String version = request.getHeaders().get(McpHttpResponses.MCP_PROTOCOL_VERSION);
        if (version == null || supported.contains(version.trim())) {
            return Optional.empty();
        }
        return Optional.of(McpHttpResponses.jsonRpcError(400, codec.error(JsonRpcCodec.INVALID_REQUEST,
                "Bad Request: unsupported MCP-Protocol-Version " + ToolBridge.printable(version)
                        + "; supported: " + String.join(", ", supported))));
    }

    static boolean accepts(Collection<String> acceptHeaders, String required) {
        String[] wanted = required.toLowerCase(Locale.ROOT).split("/", 2);
        for (String header : acceptHeaders) {
            for (String range : header.split(",")) {
                String[] parts = range.trim().split(";");
                String[] type = parts[0].trim().toLowerCase(Locale.ROOT).split("/", 2);
                if (type.length != 2 || isRefused(parts)) {
                    continue;
                }
                boolean typeMatches = type[0].equals("*") || type[0].equals(wanted[0]);
                boolean subtypeMatches = type[1].equals("*") || type[1].equals(wanted[1]);
                if (typeMatches && subtypeMatches) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isRefused(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2)) <= 0;
                } catch (NumberFormatException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
