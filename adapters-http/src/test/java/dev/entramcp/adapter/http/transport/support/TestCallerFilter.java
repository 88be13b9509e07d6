package dev.entramcp.adapter.http.transport.support;

import dev.entramcp.adapter.http.auth.AuthenticatedCaller;
import dev.entramcp.adapter.http.transport.StreamDeadline;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.CallerIdentity;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.time.Instant;
import java.util.Map;

/**
 * Stands in for the authentication filter in these tests: it attaches the caller named in the
 * {@code X-Test-Caller} header, as the real filter does once a bearer token is verified, and the
 * token's expiry from {@code X-Test-Token-Ttl-Millis}. No header, no caller.
 */
@ServerFilter("/**")
public final class TestCallerFilter implements Ordered {

    public static final String CALLER_HEADER = "X-Test-Caller";
    public static final String TOKEN_TTL_HEADER = "X-Test-Token-Ttl-Millis";
    public static final String CAROL_OID = "cccccccc-0000-0000-0000-000000000009";
    public static final String OTHER_TENANT = "99999999-2222-3333-4444-555555555555";
    /** The inbound token Alice's "alice-with-token" requests carry, for tests that it never leaks. */
    public static final String ALICE_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNlY3JldA";

    private static final Map<String, CallerIdentity> CALLERS = Map.of(
            "alice", Callers.alice(),
            "alice-with-token", Callers.alice().withAssertion(dev.entramcp.domain.model.UserAssertion.of(ALICE_TOKEN)),
            "bob", Callers.bob(),
            // Carol signed in but consented to no scope at all: every Graph tool needs a step-up.
            "carol", Callers.aCaller().named("carol@contoso.example", "Carol").withObjectId(CAROL_OID).build(),
            // Alice's object id in another tenant: a different principal.
            "alice-elsewhere", Callers.aCaller().inTenant(OTHER_TENANT).withObjectId(Callers.ALICE_OID)
                    .withScopes("User.Read", "Mail.Send").build(),
            "daemon", Callers.anApplication().withObjectId("dddddddd-0000-0000-0000-000000000004").build());

    @RequestFilter
    public void attach(HttpRequest<?> request) {
        String name = request.getHeaders().get(CALLER_HEADER);
        CallerIdentity caller = name == null ? null : CALLERS.get(name);
        if (caller != null) {
            AuthenticatedCaller.attach(request, caller);
            String ttl = request.getHeaders().get(TOKEN_TTL_HEADER);
            if (ttl != null) {
                StreamDeadline.attachTokenExpiry(request, Instant.now().plusMillis(Long.parseLong(ttl)));
            }
        }
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
