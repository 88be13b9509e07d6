package dev.entramcp.adapter.http.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.Map;

/**
 * Hands test classes the one {@link McpTestServer} with the default test configuration, started
 * by the first class that asks for it and closed when the whole test run ends (JUnit closes
 * {@link AutoCloseable} values of the root store). Micronaut Test would start one application
 * context per test class; here every class declaring
 * {@code @ExtendWith(SharedMcpServer.class)} and a {@code McpTestServer} constructor parameter
 * talks to the same running server, which is what keeps the module's test run short.
 *
 * <p>The shared server also trusts a second issuer, as the authorization-server facade will
 * ({@code auth.TestFacadeIssuers}, switched on by {@code test.facade-issuer.enabled}).
 * Tests on it must leave it as they found it (a test that stops the JWKS endpoint brings it
 * back), and never depend on what another class did before. They run one at a time (this
 * module does not enable JUnit's parallel execution), which the few tests acting on the whole
 * server (session eviction, a JWKS outage) rely on.
 */
public final class SharedMcpServer implements ParameterResolver {

    /** The properties of the shared server, on top of {@code application-httptest.yml}. */
    public static final Map<String, Object> PROPERTIES = Map.of("test.facade-issuer.enabled", "true");

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedMcpServer.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == McpTestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(McpTestServer.class, key -> McpTestServer.start(PROPERTIES), McpTestServer.class);
    }
}
