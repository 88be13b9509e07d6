package dev.entramcp.adapter.http.support;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.CallerIdentity;

/**
 * The callers of this module's tests, in the domain's language (built from the domain's
 * {@link Callers} fixtures). Each can sign in for real: {@link TestTokens#aTokenFor} mints the
 * Entra token from which the server rebuilds exactly this caller (plus the token itself as the
 * On-Behalf-Of assertion), so a test says "Carol calls send_mail", not "a header says carol".
 */
public final class TestCallers {

    public static final String CAROL_OID = "cccccccc-0000-0000-0000-000000000009";
    public static final String DAEMON_OID = "dddddddd-0000-0000-0000-000000000004";

    private TestCallers() {
    }

    /** Alice: consented to User.Read and Mail.Send, holds no app role (sees no send_mail). */
    public static CallerIdentity alice() {
        return Callers.alice();
    }

    /** Bob: like Alice, and assigned the Mail.Sender app role (sees and may call send_mail). */
    public static CallerIdentity bob() {
        return Callers.bob();
    }

    /**
     * Carol: assigned Mail.Sender, but consented to User.Read only. send_mail is hidden from her
     * and refused with a step-up 403 asking for Mail.Send; consenting would fix it.
     */
    public static CallerIdentity carol() {
        return Callers.aCaller().named("carol@contoso.example", "Carol").withObjectId(CAROL_OID)
                .withScopes("User.Read").withRoles("Mail.Sender").build();
    }

    /** Alice's object id in the other allowed tenant: the same oid, yet another principal. */
    public static CallerIdentity aliceElsewhere() {
        return Callers.aCaller().named("alice@fabrikam.example", "Alice").inTenant(TestTokens.OTHER_ALLOWED_TENANT)
                .withObjectId(Callers.ALICE_OID).withScopes("User.Read", "Mail.Send").build();
    }

    /** A daemon calling with its own identity (client credentials), holding the Mail.Sender app role. */
    public static CallerIdentity daemon() {
        return Callers.anApplication().withObjectId(DAEMON_OID).withRoles("Mail.Sender").build();
    }
}
