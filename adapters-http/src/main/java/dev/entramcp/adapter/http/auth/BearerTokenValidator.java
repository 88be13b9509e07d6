package dev.entramcp.adapter.http.auth;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.JsonValues;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * micronaut-security's {@link TokenValidator}, backed by the strict {@link BearerTokenVerifier}.
 *
 * <p>It is the <b>only</b> token validator in the application: {@code @Replaces(TokenValidator.class)}
 * removes every other one, in particular micronaut-security-jwt's own Nimbus validator, which
 * accepts an unsigned {@code alg=none} token when no signature is configured and checks issuers
 * by suffix (see STACK-NOTES). micronaut-security's {@code TokenAuthenticationFetcher} accepts a
 * token as soon as <em>any</em> validator does, so a second, more lenient validator would be a
 * bypass; {@link SecurityChainGuard} refuses to start if one appears anyway.
 *
 * <p>On success it attaches the domain {@link CallerIdentity} to the request with
 * {@link AuthenticatedCaller#attach}, with the token's expiry (that is what the MCP transports read), and returns a
 * micronaut {@link Authentication} named {@code tid/oid} with the app roles as roles, for
 * {@code @Secured} and argument binding. On refusal it records the outcome on the request (under
 * {@link #REFUSAL_ATTRIBUTE}) so that the 401 can say why, and returns nothing.
 *
 * <p>Each refusal is an audit line, within a bound: per reason, 20 lines a minute are written in
 * full, and the refusals beyond are counted into one {@code SUPPRESSED} line per reason and minute
 * ({@link RefusalAuditLimiter}), so that unauthenticated callers cannot flood the audit trail.
 */
@Singleton
@Replaces(TokenValidator.class)
public class BearerTokenValidator implements TokenValidator<HttpRequest<?>> {

    /** Request attribute holding the {@link TokenVerification} of a refused token. */
    public static final String REFUSAL_ATTRIBUTE = "dev.entramcp.token-refusal";

    /** The audit trail's logger: a refused token is a security event, written beside the tool decisions. */
    private static final Logger AUDIT = LoggerFactory.getLogger("audit");

    private final BearerTokenVerifier verifier;
    private final RefusalAuditLimiter refusals;
    private final Clock clock;
    private final Disposable drainer;

    @Inject
    public BearerTokenValidator(BearerTokenVerifier verifier) {
        this(verifier, RefusalAuditLimiter.standard(), Clock.systemUTC(), RefusalAuditLimiter.DEFAULT_WINDOW);
    }

    /** For tests: the limiter, the clock, and how often suppressed counts are written (null: never by itself). */
    BearerTokenValidator(BearerTokenVerifier verifier, RefusalAuditLimiter refusals, Clock clock, @Nullable Duration drainEvery) {
        this.verifier = verifier;
        this.refusals = refusals;
        this.clock = clock;
        this.drainer = drainEvery == null ? null : Flux.interval(drainEvery, drainEvery, Schedulers.parallel())
                .subscribe(tick -> writeSuppressedCounts());
    }

    /** Writes the suppressed-refusal counts of the windows that have ended. */
    void writeSuppressedCounts() {
        if (AUDIT.isInfoEnabled()) {
            refusals.drain(clock.instant()).forEach(suppressed -> AUDIT.info(suppressed.line()));
        }
    }

    @PreDestroy
    void stop() {
        if (drainer != null) {
            drainer.dispose();
        }
        writeSuppressedCounts();
    }

    @Override
    public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
        return Mono.justOrEmpty(authenticate(token, request));
    }

    /**
     * The same check, answered at once: used by micronaut-security through {@link #validateToken},
     * and by {@link McpBearerAuthenticationFilter} on the MCP endpoints.
     */
    public Optional<Authentication> authenticate(String token, @Nullable HttpRequest<?> request) {
        TokenVerification outcome = verifier.verify(token);
        if (outcome instanceof TokenVerification.Verified verified) {
            CallerIdentity caller = verified.caller();
            if (request != null) {
                AuthenticatedCaller.attach(request, caller, verified.expiresAt());
            }
            return Optional.of(authentication(caller, verified.issuer()));
        }
        if (request != null) {
            request.setAttribute(REFUSAL_ATTRIBUTE, outcome);
        }
        if (AUDIT.isInfoEnabled()) {
            RefusalAuditLimiter.Admission admission = refusals.admit(describe(outcome), clock.instant());
            admission.windowEnded().ifPresent(suppressed -> AUDIT.info(suppressed.line()));
            if (admission.write()) {
                AUDIT.info(refusalLine(outcome, request));
            }
        }
        return Optional.empty();
    }

    private static Authentication authentication(CallerIdentity caller, String issuer) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("iss", issuer);
        attributes.put("tid", caller.principal().tenantId());
        attributes.put("oid", caller.principal().objectId());
        attributes.put("azp", caller.clientAppId());
        attributes.put("kind", caller.kind().name());
        attributes.put("scp", List.copyOf(caller.scopes()));
        return Authentication.build(caller.principal().asKey(), List.copyOf(caller.roles()), attributes);
    }

    /**
     * One JSON line for the audit trail: when, where, and why a token was refused; never the token,
     * nothing from inside it, and every value escaped so that a request cannot forge a line.
     */
    static String refusalLine(TokenVerification outcome, @Nullable HttpRequest<?> request) {
        return "{\"type\":\"authentication\",\"time\":" + JsonValues.quote(Instant.now().toString())
                + ",\"action\":\"REFUSED\",\"method\":" + JsonValues.quote(request == null ? "?" : request.getMethodName())
                + ",\"path\":" + JsonValues.quote(request == null ? "?" : truncated(request.getPath()))
                + ",\"reason\":" + JsonValues.quote(describe(outcome)) + "}";
    }

    private static String truncated(String path) {
        return path.length() <= 256 ? path : path.substring(0, 256) + "...";
    }

    private static String describe(TokenVerification outcome) {
        if (outcome instanceof TokenVerification.Rejected rejected) {
            return rejected.description();
        }
        if (outcome instanceof TokenVerification.Unavailable unavailable) {
            return unavailable.description();
        }
        return outcome.getClass().getSimpleName();
    }
}
