package dev.entramcp.domain.contract;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;

import java.time.Instant;
import java.util.Map;

/** The contract against the simplest fake a domain test would write: a lambda over signed-in principals. */
class FakeDownstreamTokensContractTest extends AcquireDownstreamTokenPortContract {

    private final Map<PrincipalId, AccessToken> signedIn = Map.of(
            Callers.alice().principal(), AccessToken.of("graph-token-for-alice", Instant.now().plusSeconds(3600)));

    @Override
    protected AcquireDownstreamTokenPort adapter() {
        return (caller, scopes) -> {
            AccessToken token = signedIn.get(caller.principal());
            if (token == null) {
                throw new ToolFailureException(new ToolFailure.SignInRequired("sign in first"));
            }
            return token;
        };
    }

    @Override
    protected CallerIdentity aCallerItCanServe() {
        return Callers.aCaller().withObjectId(Callers.ALICE_OID).withAssertion("inbound-token-of-alice").build();
    }

    @Override
    protected CallerIdentity aCallerWithoutSignIn() {
        return Callers.bob();
    }
}
