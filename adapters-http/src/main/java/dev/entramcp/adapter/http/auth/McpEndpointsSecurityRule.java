package dev.entramcp.adapter.http.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.IpPatternsRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The security rule of the MCP endpoints ({@link ProtectedPaths}): allowed only with a caller
 * verified by {@link BearerTokenValidator}, refused otherwise, whatever the method and whatever
 * annotation a controller carries. It runs before {@code @Secured} (but after the IP-pattern
 * rule), so even a controller wrongly marked {@code @Secured(IS_ANONYMOUS)} stays protected, and
 * the transports need no annotation of their own. Other paths are left to the other rules.
 */
@Singleton
public class McpEndpointsSecurityRule implements SecurityRule<HttpRequest<?>> {

    /** Before {@code SecuredAnnotationRule} (-200), after {@code IpPatternsRule} (-300). */
    public static final int ORDER = IpPatternsRule.ORDER + 50;

    @Override
    public Publisher<SecurityRuleResult> check(@Nullable HttpRequest<?> request, @Nullable Authentication authentication) {
        if (request == null || !ProtectedPaths.isProtected(request.getPath())) {
            return Mono.just(SecurityRuleResult.UNKNOWN);
        }
        return Mono.just(AuthenticatedCaller.of(request).isPresent() ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
