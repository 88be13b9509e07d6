package dev.entramcp.adapter.http.facade;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.CallerIdentity;

import java.util.UUID;

/**
 * Users who sign in through the facade in tests: each call makes a new person (a fresh object id
 * in the test tenant), so tests on the shared server never see one another's grants or stored tokens.
 */
final class FacadeUsers {

    private FacadeUsers() {
    }

    /** A new user without app roles. */
    static CallerIdentity aUser(String name) {
        return Callers.aCaller().named(name.toLowerCase() + "@contoso.example", name)
                .withObjectId(UUID.randomUUID().toString()).build();
    }

    /** A new user holding the Mail.Sender app role. */
    static CallerIdentity aMailSender(String name) {
        return Callers.aCaller().named(name.toLowerCase() + "@contoso.example", name)
                .withObjectId(UUID.randomUUID().toString()).withRoles("Mail.Sender").build();
    }
}
