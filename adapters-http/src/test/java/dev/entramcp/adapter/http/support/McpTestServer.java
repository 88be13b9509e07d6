package dev.entramcp.adapter.http.support;

import dev.entramcp.domain.model.CallerIdentity;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * This module as an application runs it, on a random loopback port: every bean of adapters-http
 * (micronaut-security with the strict bearer validation, PRM, the MCP transports), the domain
 * wired by {@link TestWiring}, the configuration of {@code application-httptest.yml}, and a
 * loopback {@link JwksServer} publishing the tenant's signing key ({@link TestTokens#TENANT_KEY}),
 * whose URL is the configured {@code entramcp.auth.authority-host}.
 *
 * <p>Callers authenticate with real tokens signed by that key, minted for the domain's test
 * callers ({@link #tokenFor}): every request a test makes goes through the real security chain.
 *
 * <p>Starting an application context costs seconds on a busy machine, so most test classes share
 * one server with the default configuration ({@link SharedMcpServer}); a class that needs other
 * properties starts its own with {@link #start(Map)} and closes it.
 */
public final class McpTestServer implements AutoCloseable {

    /** The Micronaut environment whose {@code application-httptest.yml} configures the server. */
    public static final String ENVIRONMENT = "httptest";

    private final JwksServer jwks;
    private final EmbeddedServer server;

    private McpTestServer(JwksServer jwks, EmbeddedServer server) {
        this.jwks = jwks;
        this.server = server;
    }

    /** A server with {@code properties} on top of {@code application-httptest.yml}, its JWKS up. */
    public static McpTestServer start(Map<String, Object> properties) {
        try {
            return start(JwksServer.serving(TestTokens.publicSet(TestTokens.TENANT_KEY)), properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server trusting {@code jwks} (which it closes with itself). */
    public static McpTestServer start(JwksServer jwks, Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>();
        all.put("entramcp.auth.authority-host", jwks.baseUrl());
        all.putAll(properties);
        try {
            return new McpTestServer(jwks, ApplicationContext.run(EmbeddedServer.class, all, ENVIRONMENT));
        } catch (RuntimeException startFailed) {
            jwks.close();
            throw startFailed;
        }
    }

    public URL url() {
        return server.getURL();
    }

    public int port() {
        return server.getPort();
    }

    /** The authority host the server trusts: the JWKS server's base URL, part of every token's {@code iss}. */
    public String authority() {
        return jwks.baseUrl();
    }

    public JwksServer jwks() {
        return jwks;
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public <T> T bean(Class<T> type) {
        return context().getBean(type);
    }

    public RawMcp raw() {
        return new RawMcp(url());
    }

    /** The claims of {@code caller}'s token, to vary before signing. */
    public TestTokens.Builder token(CallerIdentity caller) {
        return TestTokens.aTokenFor(caller, authority());
    }

    /** A valid token of {@code caller}, signed with the tenant's key. */
    public String tokenFor(CallerIdentity caller) {
        return token(caller).signedWith(TestTokens.TENANT_KEY);
    }

    /**
     * The SDK's Streamable HTTP client transport to {@code /mcp}, sending
     * {@code Authorization: Bearer <token>} on every request while {@code bearerToken} gives one
     * (nothing when it gives {@code null}), then applying {@code more} customizers.
     */
    public HttpClientStreamableHttpTransport streamableTransport(Supplier<String> bearerToken,
                                                                 McpSyncHttpClientRequestCustomizer... more) {
        HttpClientStreamableHttpTransport.Builder builder = HttpClientStreamableHttpTransport.builder(url().toString())
                .endpoint("/mcp")
                .addHttpRequestCustomizer(bearer(bearerToken));
        for (McpSyncHttpClientRequestCustomizer customizer : more) {
            builder.addHttpRequestCustomizer(customizer);
        }
        return builder.build();
    }

    /** The SDK's legacy HTTP+SSE client transport to {@code /sse}, sending {@code Authorization: Bearer <token>}. */
    @SuppressWarnings("deprecation")
    public HttpClientSseClientTransport legacyTransport(Supplier<String> bearerToken) {
        return HttpClientSseClientTransport.builder(url().toString())
                .sseEndpoint("/sse")
                .addHttpRequestCustomizer(bearer(bearerToken))
                .build();
    }

    private static McpSyncHttpClientRequestCustomizer bearer(Supplier<String> bearerToken) {
        return (builder, method, uri, body, context) -> {
            String token = bearerToken.get();
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
        };
    }

    @Override
    public void close() {
        try {
            server.getApplicationContext().close();
        } finally {
            jwks.close();
        }
    }
}
