package dev.entramcp.adapter.http.auth;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.JsonValues;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

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
 */
@Singleton
@Replaces(TokenValidator.class)
public class BearerTokenValidator implements TokenValidator<HttpRequest<?>> {

    /** Request attribute holding the {@link TokenVerification} of a refused token. */
    public static final String REFUSAL_ATTRIBUTE = "dev.entramcp.token-refusal";

    /** The audit trail's logger: a refused token is a security event, written beside the tool decisions. */
    private static final Logger AUDIT = LoggerFactory.getLogger("audit");

    private final BearerTokenVerifier verifier;

    public BearerTokenValidator(BearerTokenVerifier verifier) {
        this.verifier = verifier;
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
            AUDIT.info(refusalLine(outcome, request));
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
