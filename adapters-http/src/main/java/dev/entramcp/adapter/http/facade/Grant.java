package dev.entramcp.adapter.http.facade;

import dev.entramcp.domain.model.PrincipalId;

import java.time.Instant;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What one user allowed one MCP client: created when the client redeems its first authorization
 * code, ended by revocation, by a replayed refresh token, by the upstream refusing to refresh, or
 * by time. Every access and refresh token the client holds names it ({@code grant_id}), and is
 * worth nothing once it is gone: that is what makes revocation immediate although access tokens
 * are self-contained JWTs.
 *
 * @param id                the grant id, random
 * @param user              who signed in, as Entra said at the time
 * @param clientId          the MCP client
 * @param scopes            what the user consented to and the upstream granted, as the domain names them
 * @param createdAt         when the code was redeemed
 * @param expiresAt         when the grant ends at the latest
 * @param refreshGeneration how many times the refresh token was rotated; only the newest is valid
 * @param refreshExpiresAt  when the current refresh token dies unused
 */
public record Grant(String id, SignedInUser user, String clientId, SortedSet<String> scopes, Instant createdAt,
                   Instant expiresAt, long refreshGeneration, Instant refreshExpiresAt) {

    public Grant {
        Objects.requireNonNull(id, "'id' must not be null");
        Objects.requireNonNull(user, "'user' must not be null");
        Objects.requireNonNull(clientId, "'clientId' must not be null");
        scopes = new TreeSet<>(scopes);
        Objects.requireNonNull(createdAt, "'createdAt' must not be null");
        Objects.requireNonNull(expiresAt, "'expiresAt' must not be null");
        Objects.requireNonNull(refreshExpiresAt, "'refreshExpiresAt' must not be null");
    }

    public PrincipalId principal() {
        return user.principal();
    }

    /** Whether the grant still lives at {@code now} (ignoring revocation, which deletes it). */
    public boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
