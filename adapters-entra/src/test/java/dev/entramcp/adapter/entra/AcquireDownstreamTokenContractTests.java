package dev.entramcp.adapter.entra;

import dev.entramcp.domain.contract.AcquireDownstreamTokenPortContract;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.fixtures.InMemoryUpstreamTokenStore;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.UpstreamSignIn;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;
import dev.entramcp.domain.service.UpstreamTokenBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * The domain's port contract, run against each of this adapter's three implementations, with
 * mock-oauth2-server as the independent judge. On-Behalf-Of also runs against the Entra emulator,
 * wired as app-remote wires it: {@link EntraOnBehalfOfClientEmulatorContractTest}.
 */
class AcquireDownstreamTokenContractTests {

    private static EntraMock mock;

    @BeforeAll
    static void startMock() {
        mock = EntraMock.start();
    }

    @AfterAll
    static void stopMock() {
        mock.close();
    }

    @Nested
    class OnBehalfOf extends AcquireDownstreamTokenPortContract {
        private final EntraOnBehalfOfClient client = new EntraOnBehalfOfClient(
                ConfidentialClientConfig.of(EntraOnBehalfOfClientTest.SERVER_CLIENT_ID, mock.authority(),
                        new ClientCredentialConfig.ClientSecret("secret-" + UUID.randomUUID())), Optional.of(new LoopbackHttpClient()));

        @Override
        protected AcquireDownstreamTokenPort adapter() {
            return client;
        }

        @Override
        protected CallerIdentity aCallerItCanServe() {
            return Callers.aCaller().withObjectId(EntraMock.ALICE).withAssertion(mock.inboundUserToken(EntraMock.ALICE, "api://entra-mcp")).build();
        }

        @Override
        protected CallerIdentity aCallerWithoutSignIn() {
            return Callers.aCaller().withObjectId(EntraMock.ALICE).build();
        }
    }

    /**
     * Facade mode: the domain's {@link UpstreamTokenBroker} over a store, with this adapter's
     * {@link EntraAuthorizationCodeClient} as the upstream that signed the user in and refreshes.
     */
    @Nested
    class UpstreamBroker extends AcquireDownstreamTokenPortContract {
        private final InMemoryUpstreamTokenStore store = new InMemoryUpstreamTokenStore();
        private final EntraAuthorizationCodeClient entra = new EntraAuthorizationCodeClient(
                ConfidentialClientConfig.of(EntraOnBehalfOfClientTest.SERVER_CLIENT_ID, mock.authority(),
                        new ClientCredentialConfig.ClientSecret("secret-" + UUID.randomUUID())), FacadeSignIn.GRAPH,
                Optional.of(new LoopbackHttpClient()));

        @BeforeEach
        void aliceSignedIn() throws Exception {
            UpstreamSignIn signedIn = FacadeSignIn.signIn(entra);
            store.save(signedIn.user().principal(), signedIn.tokens());
        }

        @Override
        protected AcquireDownstreamTokenPort adapter() {
            return new UpstreamTokenBroker(store, entra, refreshedUser -> { }, Clock.systemUTC());
        }

        @Override
        protected CallerIdentity aCallerItCanServe() {
            return Callers.aCaller().withObjectId(EntraMock.ALICE).build();
        }

        @Override
        protected CallerIdentity aCallerWithoutSignIn() {
            return Callers.bob();
        }
    }

    @Nested
    class PublicClient extends AcquireDownstreamTokenPortContract {
        private FakeDeviceCodeEntra entra;
        private EntraPublicClient client;

        @BeforeEach
        void aliceSignedIn() throws Exception {
            entra = new FakeDeviceCodeEntra();
            RecordingPrompts prompts = new RecordingPrompts();
            PublicClientConfig config = PublicClientConfig.of("0f0f0f0f-1111-2222-3333-444444444444", entra.authority())
                    .withSignInMode(SignInMode.DEVICE_CODE).withSignInWait(Duration.ofMillis(200))
                    .withSslSocketFactory(LoopbackTls.get().clientSocketFactory());
            client = new EntraPublicClient(config, Optional.empty(), prompts, Optional.empty(), Clock.systemUTC());
            CompletableFuture.runAsync(() -> {
                try {
                    client.signIn();
                } catch (RuntimeException pending) {
                    // completes in the background
                }
            });
            entra.approve(prompts.next(Duration.ofSeconds(10)).userCode().orElseThrow());
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (client.currentCaller().isEmpty() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }

        @AfterEach
        void stop() {
            client.close();
            entra.close();
        }

        @Override
        protected AcquireDownstreamTokenPort adapter() {
            return client;
        }

        @Override
        protected CallerIdentity aCallerItCanServe() {
            return client.currentCaller().orElseThrow();
        }

        @Override
        protected CallerIdentity aCallerWithoutSignIn() {
            return Callers.bob();
        }
    }
}
