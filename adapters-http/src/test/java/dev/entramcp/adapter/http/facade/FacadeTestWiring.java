package dev.entramcp.adapter.http.facade;

import dev.entramcp.domain.port.out.UpdateSignedInUserPort;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;
import dev.entramcp.domain.service.UpstreamTokenBroker;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * What the app provides in facade mode, for this module's facade servers: the upstream (a
 * {@link FakeUpstream} instead of Entra) and the domain's token broker over the facade's store.
 */
@Factory
@Requires(property = FacadeProperties.ENABLED, value = "true")
public class FacadeTestWiring {

    @Singleton
    FakeUpstream fakeUpstream() {
        return new FakeUpstream();
    }

    @Singleton
    UpstreamTokenBroker upstreamTokenBroker(UpstreamTokenStorePort store, FakeUpstream upstream,
                                            UpdateSignedInUserPort signedInUsers) {
        return new UpstreamTokenBroker(store, upstream, signedInUsers, Clock.systemUTC());
    }
}
