package dev.entramcp.adapter.graph;

import dev.entramcp.domain.contract.LoadUserProfilePortContract;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UserProfile;
import dev.entramcp.domain.port.out.LoadUserProfilePort;
import dev.entramcp.emulator.DemoUser;
import dev.entramcp.emulator.EntraEmulator;
import dev.entramcp.emulator.GraphRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Graph adapter, against the Entra emulator's Graph over real TLS, honours the
 * {@link LoadUserProfilePortContract}. Its tokens are minted by the emulator as Entra would issue them
 * to the local server ({@link EmulatorGraphTokens}); an arranged failure changes what the emulator
 * mints or answers. The emulator's {@code /me} has no job title or office location, as a directory
 * that does not fill them in.
 */
class GraphAdapterLoadUserProfileEmulatorContractTest extends LoadUserProfilePortContract {

    private static final String PREFIX = GraphConfig.MICROSOFT_GRAPH_SCOPE_PREFIX;
    private static EntraEmulator emulator;

    private final EmulatorGraphTokens tokens = new EmulatorGraphTokens(emulator);
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private GraphAdapter adapter;

    @BeforeAll
    static void start() {
        emulator = EntraEmulator.start();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void healthyGraph() {
        emulator.control().failGraph(0, 429, null);
        emulator.control().clearRecords();
    }

    @Override
    protected LoadUserProfilePort port() {
        if (adapter == null) {
            adapter = tokens.adapter(sleeper);
        }
        return adapter;
    }

    private static KnownUser known(String username) {
        DemoUser user = emulator.user(username);
        return new KnownUser(EmulatorGraphTokens.caller(emulator, username, "User.Read"),
                new UserProfile(user.objectId(), user.displayName(), Optional.of(user.userPrincipalName()),
                        Optional.of(user.mail()), Optional.empty(), Optional.empty()));
    }

    @Override
    protected KnownUser firstUser() {
        return known("alice");
    }

    @Override
    protected KnownUser secondUser() {
        return known("bob");
    }

    @Override
    protected void arrangeSignInRejected(CallerIdentity caller) {
        tokens.expire(caller);
    }

    @Override
    protected void arrangePermissionMissing(CallerIdentity caller) {
        tokens.grantOnly(caller, PREFIX + "Mail.Send");
    }

    @Override
    protected void arrangeThrottledBeyondRetries() {
        emulator.control().failGraph(50, 429, Duration.ofSeconds(2));
    }

    @Override
    protected void arrangeUnavailable() {
        emulator.control().failGraph(50, 500, null);
    }

    @Test
    void givenGraphThrottlingTwiceThenRecovering_loadUserProfile_waitsWhatRetryAfterSaysAndReturnsTheProfile() {
        KnownUser alice = firstUser();
        emulator.control().failGraph(2, 429, Duration.ofSeconds(3));

        UserProfile profile = port().loadUserProfile(alice.caller());

        assertThat(profile).isEqualTo(alice.profile());
        assertThat(sleeper.delays()).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
        assertThat(emulator.control().graphRequests()).extracting(GraphRequest::status).containsExactly(429, 429, 200);
    }

    @Test
    void givenGraphUnavailableOnceWithRetryAfter_loadUserProfile_waitsThatLongAndReturnsTheProfile() {
        KnownUser alice = firstUser();
        emulator.control().failGraph(1, 503, Duration.ofSeconds(4));

        UserProfile profile = port().loadUserProfile(alice.caller());

        assertThat(profile).isEqualTo(alice.profile());
        assertThat(sleeper.delays()).containsExactly(Duration.ofSeconds(4));
        assertThat(emulator.control().graphRequests()).extracting(GraphRequest::status).containsExactly(503, 200);
    }

    @Test
    void givenATokenForAnotherApi_loadUserProfile_isRefusedByGraphAsASignInProblem() {
        CallerIdentity alice = firstUser().caller();
        tokens.grantOnly(alice, emulator.apps().remote().appIdUri() + "/User.Read");

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> port().loadUserProfile(alice))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class));
        assertThat(emulator.control().graphRequests()).extracting(GraphRequest::status).containsExactly(401);
    }

    @Test
    void givenKnownUser_loadUserProfile_sendsGraphExactlyTheGraphTokenItWasGiven() {
        KnownUser alice = firstUser();

        port().loadUserProfile(alice.caller());

        List<String> issued = tokens.issued();
        assertThat(issued).hasSize(1);
        assertThat(emulator.control().graphRequests()).singleElement().satisfies(request -> {
            assertThat(request.bearerToken()).contains(issued.get(0));
            assertThat(request.path()).startsWith("/graph/v1.0/me?$select=");
            assertThat(request.tokenClaims()).containsEntry("scp", "User.Read");
        });
    }
}
