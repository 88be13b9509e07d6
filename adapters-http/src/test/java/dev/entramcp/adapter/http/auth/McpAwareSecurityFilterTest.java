package dev.entramcp.adapter.http.auth;

import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.TestCallers;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.SecurityFilter;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When micronaut-security's filter leaves the MCP endpoints to {@link McpBearerAuthenticationFilter}
 * (only when nothing else could decide for them), and that it keeps every other path, and every
 * path as soon as something else could decide. The answers on the MCP endpoints themselves are
 * checked, status by status, by {@link BearerAuthenticationHttpTest} and the transports' tests.
 */
class McpAwareSecurityFilterTest {

    private static final SecurityRule<HttpRequest<?>> MCP_RULE = new McpEndpointsSecurityRule();
    private static final List<Object> TOKEN_FETCHER_ONLY = List.of(fetcherOfType());

    @Test
    void givenTheDefaultChain_theMcpEndpoints_areLeftToTheBearerFilter() {
        assertThat(McpAwareSecurityFilter.whyTheFullChain(List.of(MCP_RULE), TOKEN_FETCHER_ONLY, List.of("0.0.0.0"), "/**"))
                .isEmpty();
        assertThat(McpAwareSecurityFilter.whyTheFullChain(List.of(MCP_RULE), TOKEN_FETCHER_ONLY, List.of(), "/**"))
                .isEmpty();
    }

    @Test
    void givenANarrowedFilterPattern_theFullChain_keepsEveryPath() {
        assertThat(McpAwareSecurityFilter.whyTheFullChain(List.of(MCP_RULE), TOKEN_FETCHER_ONLY, List.of(), "/api/**"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("micronaut.security.filter.pattern"));
    }

    @Test
    void givenARuleOrderedBeforeTheMcpRule_theFullChain_keepsEveryPath() {
        SecurityRule<HttpRequest<?>> earlier = new SecurityRule<>() {
            @Override
            public Publisher<SecurityRuleResult> check(@Nullable HttpRequest<?> request, @Nullable Authentication authentication) {
                return Mono.just(SecurityRuleResult.REJECTED);
            }

            @Override
            public int getOrder() {
                return McpEndpointsSecurityRule.ORDER - 1;
            }
        };

        assertThat(McpAwareSecurityFilter.whyTheFullChain(List.of(earlier, MCP_RULE), TOKEN_FETCHER_ONLY, List.of(), "/**"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("ordered before McpEndpointsSecurityRule"));
    }

    @Test
    void givenIpPatternsThatRestrictCallers_theFullChain_keepsEveryPath() {
        assertThat(McpAwareSecurityFilter.whyTheFullChain(List.of(MCP_RULE), TOKEN_FETCHER_ONLY, List.of("10\\..*"), "/**"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("micronaut.security.ip-patterns"));
    }

    @Test
    void givenAnotherAuthenticationFetcher_orNoMcpRule_theFullChain_keepsEveryPath() {
        assertThat(McpAwareSecurityFilter.whyTheFullChain(List.of(MCP_RULE), List.of(fetcherOfType(), new Object()), List.of(), "/**"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("authentication fetchers"));
        assertThat(McpAwareSecurityFilter.whyTheFullChain(List.of(), TOKEN_FETCHER_ONLY, List.of(), "/**"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("McpEndpointsSecurityRule is not among"));
    }

    @Test
    void givenTheAssembledServer_onlyTheMcpEndpoints_areLeftToTheBearerFilter() {
        try (McpTestServer server = McpTestServer.start(Map.of())) {
            McpAwareSecurityFilter filter = (McpAwareSecurityFilter) server.bean(SecurityFilter.class);

            assertThat(filter.fullChainReason()).isEmpty();
            assertThat(filter.leavesToBearerFilter(HttpRequest.POST("/mcp", ""))).isTrue();
            assertThat(filter.leavesToBearerFilter(HttpRequest.GET("/MCP/"))).isTrue();
            assertThat(filter.leavesToBearerFilter(HttpRequest.GET("/sse"))).isTrue();
            assertThat(filter.leavesToBearerFilter(HttpRequest.GET("/secured/probe"))).isFalse();
            assertThat(filter.leavesToBearerFilter(HttpRequest.GET("/.well-known/oauth-protected-resource/mcp"))).isFalse();
        }
    }

    @Test
    void givenIpPatternsExcludingLoopback_anMcpEndpoint_isRefusedEvenWithAValidToken() {
        try (McpTestServer server = McpTestServer.start(Map.of("micronaut.security.ip-patterns", List.of("10\\.9\\.8\\.7")))) {
            String token = server.tokenFor(TestCallers.alice());

            HttpResponse<String> initialize = server.raw().post("/mcp", token, RawMcp.INITIALIZE);

            assertThat(((McpAwareSecurityFilter) server.bean(SecurityFilter.class)).leavesToBearerFilter(HttpRequest.POST("/mcp", "")))
                    .isFalse();
            assertThat(initialize.statusCode()).isEqualTo(403);
            assertThat(initialize.headers().firstValue("Mcp-Session-Id")).isEmpty();
        }
    }

    /** Only its type matters to the decision: micronaut-security's own token fetcher. */
    @SuppressWarnings({"deprecation", "removal"})
    private static Object fetcherOfType() {
        return new io.micronaut.security.token.TokenAuthenticationFetcher(List.<io.micronaut.security.token.validator.TokenValidator<HttpRequest<?>>>of(),
                request -> java.util.Optional.empty(), event -> { });
    }
}
