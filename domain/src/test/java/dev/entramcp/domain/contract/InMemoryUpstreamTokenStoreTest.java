package dev.entramcp.domain.contract;

import dev.entramcp.domain.fixtures.InMemoryUpstreamTokenStore;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;

class InMemoryUpstreamTokenStoreTest extends UpstreamTokenStorePortContract {

    @Override
    protected UpstreamTokenStorePort store() {
        return new InMemoryUpstreamTokenStore();
    }
}
