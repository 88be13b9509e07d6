package dev.entramcp.domain.model;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The tokens the server holds for a user at the upstream identity provider (Entra), obtained by
 * the server itself. They never leave the server. Masked in {@code toString} through its parts.
 */
public record UpstreamTokens(AccessToken accessToken, Optional<RefreshToken> refreshToken, SortedSet<String> scopes) {

    public UpstreamTokens {
        Require.notNull(accessToken, "accessToken");
        Require.notNull(refreshToken, "refreshToken");
        scopes = Require.sortedSetOfNonBlank(scopes, "scopes");
    }

    public static UpstreamTokens of(AccessToken accessToken, RefreshToken refreshToken, Collection<String> scopes) {
        return new UpstreamTokens(accessToken, Optional.ofNullable(refreshToken), Require.sortedSetOfNonBlank(scopes, "scopes"));
    }

    public boolean accessTokenExpiredAt(Instant now) {
        return accessToken.isExpiredAt(now);
    }
}
