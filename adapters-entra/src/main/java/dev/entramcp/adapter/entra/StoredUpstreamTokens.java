package dev.entramcp.adapter.entra;

import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.model.RefreshToken;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UpstreamTokens;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The facade mode's token source: the Entra tokens the server obtained for the user (through
 * {@link EntraAuthorizationCodeClient}) and keeps in an {@link UpstreamTokenStorePort}.
 *
 * <p>A stored access token that still covers the scopes and is valid for at least
 * {@code refreshBefore} more is returned as it is. Otherwise it is refreshed with the stored
 * refresh token and the new tokens are saved. If the refresh fails because the person must act
 * (refresh token expired or revoked, consent withdrawn), the stored tokens are deleted and the
 * failure goes up, so the transport answers 401 with a fresh challenge. Refreshes for the same
 * principal are serialized, so concurrent calls do not race a rotating refresh token.
 */
public final class StoredUpstreamTokens implements AcquireDownstreamTokenPort {

    private static final Logger LOG = LoggerFactory.getLogger(StoredUpstreamTokens.class);
    private static final int LOCK_STRIPES = 64;

    private final UpstreamTokenStorePort store;
    private final EntraAuthorizationCodeClient entra;
    private final Clock clock;
    private final Duration refreshBefore;
    private final Object[] locks = new Object[LOCK_STRIPES];

    /**
     * @param store         where the user's Entra tokens are kept (encrypted by the store)
     * @param entra         the confidential client that refreshes them
     * @param clock         the time, to judge expiry
     * @param refreshBefore refresh an access token this long before it expires (for example 5 minutes)
     */
    public StoredUpstreamTokens(UpstreamTokenStorePort store, EntraAuthorizationCodeClient entra, Clock clock, Duration refreshBefore) {
        this.store = Objects.requireNonNull(store, "'store' must not be null");
        this.entra = Objects.requireNonNull(entra, "'entra' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.refreshBefore = Objects.requireNonNull(refreshBefore, "'refreshBefore' must not be null");
        if (refreshBefore.isNegative()) {
            throw new IllegalArgumentException("'refreshBefore' must not be negative");
        }
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    @Override
    public AccessToken acquireToken(CallerIdentity caller, Set<String> scopes) {
        Objects.requireNonNull(caller, "'caller' must not be null");
        PrincipalId principal = caller.principal();
        synchronized (locks[Math.floorMod(principal.hashCode(), LOCK_STRIPES)]) {
            UpstreamTokens stored = store.load(principal).orElseThrow(() -> new ToolFailureException(
                    new ToolFailure.SignInRequired("the server holds no sign-in for you. Sign in again.")));
            Set<String> wanted = scopes == null || scopes.isEmpty() ? stored.scopes() : scopes;
            if (stored.scopes().containsAll(wanted) && !stored.accessTokenExpiredAt(clock.instant().plus(refreshBefore))) {
                return stored.accessToken();
            }
            if (stored.refreshToken().isEmpty()) {
                store.delete(principal);
                throw new ToolFailureException(new ToolFailure.SignInRequired("your sign-in has expired. Sign in again."));
            }
            return refresh(principal, stored.refreshToken().get(), wanted);
        }
    }

    private AccessToken refresh(PrincipalId principal, RefreshToken refreshToken, Set<String> scopes) {
        try {
            UpstreamTokens refreshed = entra.refresh(refreshToken, scopes);
            store.save(principal, refreshed);
            return refreshed.accessToken();
        } catch (ToolFailureException failure) {
            if (failure.failure() instanceof ToolFailure.SignInRequired || failure.failure() instanceof ToolFailure.ConsentRequired) {
                LOG.info("Refreshing the stored Entra tokens of {} failed ({}); deleting them", principal.asKey(),
                        failure.failure().getClass().getSimpleName());
                store.delete(principal);
            }
            throw failure;
        }
    }
}
