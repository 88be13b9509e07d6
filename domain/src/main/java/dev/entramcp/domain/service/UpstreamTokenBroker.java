package dev.entramcp.domain.service;

import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UpstreamSignIn;
import dev.entramcp.domain.model.UpstreamTokens;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;
import dev.entramcp.domain.port.out.UpdateSignedInUserPort;
import dev.entramcp.domain.port.out.UpstreamAuthorizationPort;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Downstream tokens in authorization-server facade mode: the upstream tokens the server obtained
 * for the user, refreshed transparently when the access token is about to expire. If the upstream
 * refuses the refresh (revoked, consent withdrawn), the stored tokens are deleted, so that the
 * user's grant with this server ends too, and the call fails with "sign in again".
 *
 * <p>Each refresh also re-reads who the user is (the upstream's new ID token): their current app
 * roles go to the {@link UpdateSignedInUserPort}, so a role removed upstream stops counting at the
 * next refresh instead of living as long as the grant. A refresh that names another user than the
 * one whose tokens were refreshed is an upstream fault the server cannot reason about: the tokens
 * are deleted and the user must sign in again.
 *
 * <p>Refreshes are serialised per user, so two concurrent calls do not both spend a rotating
 * refresh token.
 */
public final class UpstreamTokenBroker implements AcquireDownstreamTokenPort {

    /** Refresh a little before expiry, so a token does not expire in flight. */
    private static final Duration EARLY_REFRESH = Duration.ofSeconds(60);

    private final UpstreamTokenStorePort store;
    private final UpstreamAuthorizationPort upstream;
    private final UpdateSignedInUserPort signedInUsers;
    private final Clock clock;
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

    public UpstreamTokenBroker(UpstreamTokenStorePort store, UpstreamAuthorizationPort upstream,
                               UpdateSignedInUserPort signedInUsers, Clock clock) {
        this.store = Objects.requireNonNull(store, "'store' must not be null");
        this.upstream = Objects.requireNonNull(upstream, "'upstream' must not be null");
        this.signedInUsers = Objects.requireNonNull(signedInUsers, "'signedInUsers' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    }

    @Override
    public AccessToken acquireToken(CallerIdentity caller, Set<String> scopes) {
        Objects.requireNonNull(caller, "'caller' must not be null");
        Object lock = locks.computeIfAbsent(caller.principal().asKey(), key -> new Object());
        synchronized (lock) {
            UpstreamTokens tokens = store.load(caller.principal()).orElseThrow(() -> signInAgain("no upstream sign-in is stored for you"));
            if (!tokens.accessToken().isExpiredAt(clock.instant().plus(EARLY_REFRESH))) {
                return tokens.accessToken();
            }
            if (tokens.refreshToken().isEmpty()) {
                store.delete(caller.principal());
                throw signInAgain("your upstream session has expired");
            }
            UpstreamSignIn refreshed;
            try {
                refreshed = upstream.refresh(tokens);
            } catch (ToolFailureException refused) {
                if (refused.failure() instanceof ToolFailure.SignInRequired) {
                    store.delete(caller.principal());
                }
                throw refused;
            }
            if (!refreshed.user().principal().equals(caller.principal())) {
                store.delete(caller.principal());
                throw signInAgain("the upstream answered the refresh for another user");
            }
            UpstreamTokens fresh = refreshed.tokens();
            UpstreamTokens kept = fresh.refreshToken().isPresent() ? fresh
                    : new UpstreamTokens(fresh.accessToken(), tokens.refreshToken(), fresh.scopes());
            store.save(caller.principal(), kept);
            signedInUsers.update(refreshed.user());
            return kept.accessToken();
        }
    }

    private static ToolFailureException signInAgain(String why) {
        return new ToolFailureException(new ToolFailure.SignInRequired(why + "; sign in to this server again."));
    }
}
