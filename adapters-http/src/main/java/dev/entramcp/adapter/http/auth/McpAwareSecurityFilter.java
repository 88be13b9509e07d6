package dev.entramcp.adapter.http.auth;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requirements;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.ConditionalFilter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.security.config.SecurityConfiguration;
import io.micronaut.security.config.SecurityConfigurationProperties;
import io.micronaut.security.filters.AuthenticationFetcher;
import io.micronaut.security.filters.SecurityFilter;
import io.micronaut.security.rules.IpPatternsRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.token.TokenAuthenticationFetcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * micronaut-security's {@link SecurityFilter}, standing aside on the MCP endpoints for
 * {@link McpBearerAuthenticationFilter}, which gives the same answers without Reactor.
 *
 * <p><b>Why.</b> micronaut-security's filter is a reactive {@code HttpServerFilter}: every request
 * goes through a {@code Flux} of authentication fetchers and a {@code concatMap} over the security
 * rules, and the rest of the request then runs inside that reactive chain. On the MCP endpoints it
 * cost more server CPU per {@code tools/call} than the token check itself (measured in
 * bench/README.md, H2). There, its decision is known in advance: {@link McpEndpointsSecurityRule}
 * allows a request exactly when {@link BearerTokenValidator} verified its token, and refuses it
 * otherwise, whatever the rules after it say. So on those paths the token is checked by the same
 * validator, synchronously, and refused through the same {@link AuthenticationRefusals}.
 *
 * <p><b>Only when nothing else could decide.</b> The MCP endpoints are left to the bearer filter
 * only if this filter covers every path ({@code micronaut.security.filter.pattern} is {@code /**}),
 * the only rule ordered before {@link McpEndpointsSecurityRule} is {@link IpPatternsRule} with no
 * IP restriction ({@code micronaut.security.ip-patterns} empty or {@code 0.0.0.0}), and the only
 * authentication fetcher is micronaut-security's token fetcher (which would use the one reader
 * and the one validator {@link SecurityChainGuard} allows). Otherwise this filter runs on every
 * path as micronaut-security's own does, and says so at start. Every other path is always its.
 */
@Replaces(SecurityFilter.class)
@Filter("${micronaut.security.filter.pattern:/**}")
@Requirements({
        @Requires(property = "micronaut.security.filter.enabled", notEquals = "false", defaultValue = "true"),
        @Requires(classes = HttpServerFilter.class)})
public class McpAwareSecurityFilter extends SecurityFilter implements ConditionalFilter {

    private static final Logger LOG = LoggerFactory.getLogger(McpAwareSecurityFilter.class);
    private static final String ALL_PATHS = "/**";

    private final Optional<String> fullChainReason;

    public McpAwareSecurityFilter(Collection<SecurityRule<HttpRequest<?>>> securityRules,
                                  Collection<AuthenticationFetcher<HttpRequest<?>>> authenticationFetchers,
                                  SecurityConfiguration securityConfiguration,
                                  @Value("${micronaut.security.filter.pattern:/**}") String pattern) {
        super(securityRules, authenticationFetchers, securityConfiguration);
        this.fullChainReason = whyTheFullChain(securityRules, authenticationFetchers, securityConfiguration.getIpPatterns(), pattern);
        fullChainReason.ifPresent(reason -> LOG.info("The MCP endpoints are authenticated through micronaut-security's "
                + "full filter chain: {}", reason));
    }

    /** Whether this request is left to {@link McpBearerAuthenticationFilter}: an MCP endpoint, and nothing else could decide. */
    public boolean leavesToBearerFilter(HttpRequest<?> request) {
        return fullChainReason.isEmpty() && ProtectedPaths.isProtected(request.getPath());
    }

    /** Why every path goes through the full chain, if it does. */
    Optional<String> fullChainReason() {
        return fullChainReason;
    }

    @Override
    public boolean isEnabled(HttpRequest<?> request) {
        return !leavesToBearerFilter(request);
    }

    /** Why the MCP endpoints must go through the full chain, or empty when the bearer filter decides alike. */
    static Optional<String> whyTheFullChain(Collection<? extends SecurityRule<?>> rules, Collection<?> fetchers,
                                            List<String> ipPatterns, String pattern) {
        if (!ALL_PATHS.equals(pattern)) {
            return Optional.of("micronaut.security.filter.pattern is " + pattern + ", not " + ALL_PATHS);
        }
        List<String> before = new ArrayList<>();
        boolean mcpRule = false;
        for (SecurityRule<?> rule : rules) {
            if (rule instanceof McpEndpointsSecurityRule) {
                mcpRule = true;
            } else if (order(rule) < McpEndpointsSecurityRule.ORDER && !(rule instanceof IpPatternsRule)) {
                before.add(rule.getClass().getName());
            }
        }
        if (!mcpRule) {
            return Optional.of("McpEndpointsSecurityRule is not among the security rules");
        }
        if (!before.isEmpty()) {
            return Optional.of("security rules ordered before McpEndpointsSecurityRule: " + before);
        }
        if (!ipPatterns.isEmpty() && !ipPatterns.contains(SecurityConfigurationProperties.ANYWHERE)) {
            return Optional.of("micronaut.security.ip-patterns restricts the callers' addresses");
        }
        if (fetchers.size() != 1 || !(fetchers.iterator().next() instanceof TokenAuthenticationFetcher)) {
            return Optional.of("authentication fetchers other than micronaut-security's token fetcher: "
                    + fetchers.stream().map(f -> f.getClass().getName()).toList());
        }
        return Optional.empty();
    }

    private static int order(Object rule) {
        return rule instanceof Ordered ordered ? ordered.getOrder() : Ordered.LOWEST_PRECEDENCE;
    }
}
