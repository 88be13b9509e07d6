package dev.entramcp.adapter.graph;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;
import dev.entramcp.emulator.DemoUser;
import dev.entramcp.emulator.EntraEmulator;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The token port the Graph adapter draws on, backed by the Entra emulator: for each call it mints
 * the delegated Graph token Entra would issue to the local server for that user and those scopes,
 * signed with the emulator's key, so the emulator's Graph judges it as real Graph would. A test
 * changes what is minted for a user (expired, other scopes, another audience) to arrange a failure.
 */
final class EmulatorGraphTokens implements AcquireDownstreamTokenPort {

    private final EntraEmulator emulator;
    private final Set<String> expiredFor = new HashSet<>();
    private final Map<String, String[]> onlyFor = new HashMap<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();

    EmulatorGraphTokens(EntraEmulator emulator) {
        this.emulator = emulator;
    }

    /**
     * The Graph adapter talking to the emulator's Graph over real TLS, drawing its tokens from this
     * port, with short retry waits that {@code sleeper} records instead of sleeping.
     */
    GraphAdapter adapter(RecordingSleeper sleeper) {
        GraphConfig config = GraphConfig.of(emulator.graphBaseUrl(), GraphConfig.MICROSOFT_GRAPH_SCOPE_PREFIX)
                .withRetry(new GraphRetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(20)));
        return new GraphAdapter(config, GraphHttpClients.trusting(emulator.sslContext()), this,
                java.time.Clock.systemUTC(), sleeper, ceiling -> ceiling);
    }

    /** The emulator user {@code username} as the domain sees them signed in, in the emulator's tenant. */
    static CallerIdentity caller(EntraEmulator emulator, String username, String... scopes) {
        DemoUser user = emulator.user(username);
        return Callers.aCaller().inTenant(emulator.tenantId()).withObjectId(user.objectId())
                .named(user.userPrincipalName(), user.displayName()).withScopes(scopes).build();
    }

    /** The user's tokens expired an hour ago (Graph answers 401). */
    void expire(CallerIdentity caller) {
        expiredFor.add(username(caller));
    }

    /**
     * The user's tokens carry these scopes (or resources) instead of those asked for: Graph permissions
     * the user did not consent to are missing (403), another API's scopes give another audience (401).
     */
    void grantOnly(CallerIdentity caller, String... resourceOrScopes) {
        onlyFor.put(username(caller), resourceOrScopes.clone());
    }

    /** Every token minted so far, oldest first. */
    List<String> issued() {
        return List.copyOf(issued);
    }

    @Override
    public AccessToken acquireToken(CallerIdentity caller, Set<String> scopes) {
        String user = username(caller);
        String client = emulator.apps().local().clientId();
        String[] granted = onlyFor.getOrDefault(user, scopes.toArray(String[]::new));
        String token;
        if (expiredFor.contains(user)) {
            Map<String, Object> claims = emulator.control().accessTokenClaims(user, client, granted);
            long anHourAgo = Instant.now().minus(Duration.ofHours(1)).getEpochSecond();
            claims.put("iat", anHourAgo - 600);
            claims.put("nbf", anHourAgo - 600);
            claims.put("exp", anHourAgo);
            token = emulator.control().signJwt(claims);
        } else {
            token = emulator.control().issueAccessToken(user, client, granted);
        }
        issued.add(token);
        // The expiry the port reports is the client's view; Graph alone judges the token's own exp.
        return AccessToken.of(token, Instant.now().plusSeconds(3600));
    }

    private String username(CallerIdentity caller) {
        return emulator.user(caller.principal().objectId()).username();
    }
}
