package dev.entramcp.adapter.http.auth;

import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.security.filters.SecurityFilter;
import io.micronaut.security.token.reader.TokenReader;
import io.micronaut.security.token.validator.TokenValidator;

import java.util.Collection;
import java.util.List;

/**
 * Refuses to start when the security chain is not the one this module relies on, because each
 * of these would silently weaken authentication:
 * <ul>
 *   <li>a token validator other than {@link BearerTokenValidator} (micronaut-security accepts a
 *       token when any validator does; micronaut-security-jwt's own accepts {@code alg=none}
 *       without a signature configuration);</li>
 *   <li>a token reader other than {@link AuthorizationHeaderTokenReader} (a cookie reader would
 *       accept tokens sent along by cross-site requests);</li>
 *   <li>no micronaut-security filter at all ({@code micronaut.security.enabled} or
 *       {@code micronaut.security.filter.enabled} set to false).</li>
 * </ul>
 */
@Context
public class SecurityChainGuard {

    @SuppressWarnings("rawtypes")
    public SecurityChainGuard(BeanContext context) {
        Collection<TokenValidator> validators = context.getBeansOfType(TokenValidator.class);
        List<String> foreignValidators = validators.stream().filter(v -> !(v instanceof BearerTokenValidator))
                .map(v -> v.getClass().getName()).toList();
        if (!foreignValidators.isEmpty() || validators.isEmpty()) {
            throw new IllegalStateException("Bearer authentication must use BearerTokenValidator alone, found "
                    + validators.stream().map(v -> v.getClass().getName()).toList()
                    + ": with micronaut-security-jwt, set micronaut.security.token.jwt.nimbus.reactive-validator=false"
                    + " and remove the other TokenValidator beans");
        }
        Collection<TokenReader> readers = context.getBeansOfType(TokenReader.class);
        if (readers.size() != 1 || !(readers.iterator().next() instanceof AuthorizationHeaderTokenReader)) {
            throw new IllegalStateException("Bearer tokens must be read from the Authorization header alone, found readers "
                    + readers.stream().map(r -> r.getClass().getName()).toList()
                    + ": remove the other TokenReader beans (cookie authentication is not supported on MCP endpoints)");
        }
        if (!context.containsBean(SecurityFilter.class)) {
            throw new IllegalStateException("micronaut-security's filter is disabled: the MCP endpoints would not be "
                    + "authenticated. Remove micronaut.security.enabled=false / micronaut.security.filter.enabled=false");
        }
    }
}
