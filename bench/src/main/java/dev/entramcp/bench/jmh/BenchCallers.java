package dev.entramcp.bench.jmh;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.model.UserProfile;

import java.util.List;
import java.util.Optional;

/** The callers and the profile the benchmarks use: the emulator's demo users, as a token would describe them. */
final class BenchCallers {

    static final String TENANT = "0b2c4d6e-8f10-4a2b-9c3d-5e6f7a8b9c0d";
    static final String CLIENT_APP = "6f1d2c3b-4a59-4e8f-9d7c-1b2a3c4d5e6f";

    private BenchCallers() {
    }

    /** Alice: User.Read and Mail.Send consented, no app role. */
    static CallerIdentity alice() {
        return CallerIdentity.user(PrincipalId.of(TENANT, "a11ce000-0000-4000-8000-000000000001"),
                "alice@entra-emulator.test", "Alice Adams", CLIENT_APP, List.of("User.Read", "Mail.Send"), List.of());
    }

    /** Bob: the same scopes and the Mail.Sender app role. */
    static CallerIdentity bob() {
        return CallerIdentity.user(PrincipalId.of(TENANT, "b0b00000-0000-4000-8000-000000000002"),
                "bob@entra-emulator.test", "Bob Baker", CLIENT_APP, List.of("User.Read", "Mail.Send"), List.of("Mail.Sender"));
    }

    static UserProfile profileOf(CallerIdentity caller) {
        return new UserProfile(caller.principal().objectId(), caller.displayName(), Optional.of(caller.username()),
                Optional.of(caller.username()), Optional.of("Engineer"), Optional.of("Building 1"));
    }
}
