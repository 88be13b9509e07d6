package dev.entramcp.adapter.http.auth;

import dev.entramcp.domain.model.CallerIdentity;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test endpoints under the protected prefixes (beside, not on, the transports' own {@code /mcp},
 * {@code /sse} and {@code /message}), answering with the caller the authentication attached. None
 * carries {@code @Secured}: {@link McpEndpointsSecurityRule} alone protects them; one is even
 * marked anonymous, and must stay protected. Two are outside the MCP paths, for contrast.
 */
@Controller
class AuthProbeController {

    @Get("/mcp/auth-probe")
    Map<String, Object> getMcp(HttpRequest<?> request, @Nullable Authentication authentication) {
        return describe(request, authentication);
    }

    @Post("/mcp/auth-probe")
    Map<String, Object> postMcp(HttpRequest<?> request, @Nullable Authentication authentication) {
        return describe(request, authentication);
    }

    @Delete("/mcp/auth-probe")
    Map<String, Object> deleteMcp(HttpRequest<?> request, @Nullable Authentication authentication) {
        return describe(request, authentication);
    }

    @Get("/sse/auth-probe")
    Map<String, Object> sse(HttpRequest<?> request, @Nullable Authentication authentication) {
        return describe(request, authentication);
    }

    @Post("/message/auth-probe")
    Map<String, Object> message(HttpRequest<?> request, @Nullable Authentication authentication) {
        return describe(request, authentication);
    }

    @Get("/message/anonymous-probe")
    @Secured(SecurityRule.IS_ANONYMOUS)
    Map<String, Object> wronglyAnonymous(HttpRequest<?> request, @Nullable Authentication authentication) {
        return describe(request, authentication);
    }

    @Get("/secured/probe")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    Map<String, Object> securedElsewhere(HttpRequest<?> request, @Nullable Authentication authentication) {
        return describe(request, authentication);
    }

    @Get("/public/probe")
    @Secured(SecurityRule.IS_ANONYMOUS)
    Map<String, Object> open() {
        return Map.of("open", true);
    }

    private static Map<String, Object> describe(HttpRequest<?> request, @Nullable Authentication authentication) {
        CallerIdentity caller = AuthenticatedCaller.of(request).orElseThrow();
        String header = request.getHeaders().getAuthorization().orElse("");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenantId", caller.principal().tenantId());
        body.put("objectId", caller.principal().objectId());
        body.put("kind", caller.kind().name());
        body.put("username", caller.username());
        body.put("displayName", caller.displayName());
        body.put("clientAppId", caller.clientAppId());
        body.put("scopes", List.copyOf(caller.scopes()));
        body.put("roles", List.copyOf(caller.roles()));
        body.put("assertionPresent", caller.assertion().isPresent());
        body.put("assertionIsTheBearerToken", caller.assertion().map(a -> header.equals("Bearer " + a.value())).orElse(false));
        body.put("authenticationName", authentication == null ? "" : authentication.getName());
        body.put("expiresAt", AuthenticatedCaller.expiresAt(request).map(Instant::getEpochSecond).orElse(0L));
        return body;
    }
}
