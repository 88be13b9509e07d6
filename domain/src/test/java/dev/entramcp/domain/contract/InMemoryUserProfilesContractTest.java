package dev.entramcp.domain.contract;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.fixtures.InMemoryUserProfiles;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.UserProfile;
import dev.entramcp.domain.port.out.LoadUserProfilePort;

import java.time.Duration;
import java.util.Optional;

/** The in-memory directory fake honours the {@link LoadUserProfilePortContract}. */
class InMemoryUserProfilesContractTest extends LoadUserProfilePortContract {

    private final KnownUser alice = new KnownUser(Callers.alice(), new UserProfile(Callers.ALICE_OID, "Alice",
            Optional.of("alice@contoso.example"), Optional.of("alice@contoso.example"), Optional.of("Engineer"),
            Optional.of("Building 1")));
    private final KnownUser bob = new KnownUser(Callers.bob(), new UserProfile(Callers.BOB_OID, "Bob",
            Optional.of("bob@contoso.example"), Optional.empty(), Optional.empty(), Optional.empty()));
    private final InMemoryUserProfiles profiles = new InMemoryUserProfiles()
            .with(alice.caller(), alice.profile()).with(bob.caller(), bob.profile());

    @Override
    protected LoadUserProfilePort port() {
        return profiles;
    }

    @Override
    protected KnownUser firstUser() {
        return alice;
    }

    @Override
    protected KnownUser secondUser() {
        return bob;
    }

    @Override
    protected void arrangeSignInRejected(CallerIdentity caller) {
        profiles.failFor(caller, new ToolFailure.SignInRequired("your session expired; sign in again."));
    }

    @Override
    protected void arrangePermissionMissing(CallerIdentity caller) {
        profiles.failFor(caller, new ToolFailure.ConsentRequired("User.Read was not granted.", Optional.empty()));
    }

    @Override
    protected void arrangeThrottledBeyondRetries() {
        profiles.failAll(new ToolFailure.Throttled(Duration.ofSeconds(30)));
    }

    @Override
    protected void arrangeUnavailable() {
        profiles.failAll(new ToolFailure.DownstreamUnavailable("the directory is down."));
    }
}
