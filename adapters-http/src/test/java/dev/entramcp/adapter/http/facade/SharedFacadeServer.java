package dev.entramcp.adapter.http.facade;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.Map;

/**
 * Hands test classes one {@link FacadeTestServer} (in-memory store), started by the first class
 * that asks and closed when the test run ends, as {@code SharedMcpServer} does for the resource
 * server. Tests on it register their own clients and sign in their own users, so they do not
 * depend on one another; a test that changes the {@link FakeUpstream} resets it.
 */
public final class SharedFacadeServer implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedFacadeServer.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FacadeTestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(FacadeTestServer.class, key -> FacadeTestServer.start(Map.of()), FacadeTestServer.class);
    }
}
