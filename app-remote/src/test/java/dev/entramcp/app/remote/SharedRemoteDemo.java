package dev.entramcp.app.remote;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands test classes one {@link RemoteDemoApp}, started by the first class that asks and closed
 * when the whole run ends (JUnit closes {@link AutoCloseable} values of the root store), so that the
 * module's tests pay for one start. Tests on it must leave the emulator's world as they found it
 * (no withdrawn consent, no rotated key, no Graph failure left pending): those that change it start
 * their own app. Tests never depend on what another did before; JUnit runs them one at a time.
 */
final class SharedRemoteDemo implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedRemoteDemo.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RemoteDemoApp.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RemoteDemoApp.class, key -> RemoteDemoApp.start(), RemoteDemoApp.class);
    }
}
