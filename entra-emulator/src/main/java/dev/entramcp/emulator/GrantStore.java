package dev.entramcp.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * The short-lived secrets the token endpoint redeems: authorization codes, refresh tokens and device codes.
 * Each is an opaque random string handed to the client; the store keeps only its SHA-256, so nothing here can
 * be replayed from a heap dump or a log line.
 */
final class GrantStore {

    private static final int PURGE_THRESHOLD = 5_000;

    /** What an authorization code was issued for; single use. */
    static final class AuthorizationCode {
        final String clientId;
        final String redirectUri;
        final String codeChallenge;
        final String nonce;
        final String userObjectId;
        final ScopeRequest scopes;
        final Instant expiresAt;
        final AtomicBoolean redeemed = new AtomicBoolean();
        /**
         * The refresh-token family its redemption starts, chosen when the code is issued, so that a replay
         * can revoke it (RFC 9700 4.5) even while the first redemption is still being checked.
         */
        final String familyId = newFamily();

        AuthorizationCode(String clientId, String redirectUri, String codeChallenge, String nonce, String userObjectId,
                          ScopeRequest scopes, Instant expiresAt) {
            this.clientId = clientId;
            this.redirectUri = redirectUri;
            this.codeChallenge = codeChallenge;
            this.nonce = nonce;
            this.userObjectId = userObjectId;
            this.scopes = scopes;
            this.expiresAt = expiresAt;
        }
    }

    /** A refresh token: bound to one client and user; rotated on every use. */
    static final class RefreshToken {
        final String familyId;
        final String clientId;
        final String userObjectId;
        final ScopeRequest scopes;
        final Instant expiresAt;
        final AtomicBoolean used = new AtomicBoolean();

        RefreshToken(String familyId, String clientId, String userObjectId, ScopeRequest scopes, Instant expiresAt) {
            this.familyId = familyId;
            this.clientId = clientId;
            this.userObjectId = userObjectId;
            this.scopes = scopes;
            this.expiresAt = expiresAt;
        }
    }

    private final Clock clock;
    private final Map<String, AuthorizationCode> codes = new ConcurrentHashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();
    private final Set<String> revokedFamilies = ConcurrentHashMap.newKeySet();
    private final Map<String, DeviceAuthorization> deviceCodes = new ConcurrentHashMap<>();
    private final Map<String, DeviceAuthorization> userCodes = new ConcurrentHashMap<>();

    GrantStore(Clock clock) {
        this.clock = clock;
    }

    String issueCode(AuthorizationCode code) {
        purge(codes, c -> c.expiresAt);
        String value = TokenMinter.opaque(32);
        codes.put(hash(value), code);
        return value;
    }

    Optional<AuthorizationCode> code(String value) {
        return Optional.ofNullable(codes.get(hash(value)));
    }

    static String newFamily() {
        return UUID.randomUUID().toString();
    }

    String issueRefreshToken(RefreshToken token) {
        purge(refreshTokens, t -> t.expiresAt);
        String value = TokenMinter.opaque(48);
        refreshTokens.put(hash(value), token);
        return value;
    }

    Optional<RefreshToken> refreshToken(String value) {
        return Optional.ofNullable(refreshTokens.get(hash(value)));
    }

    boolean isRevoked(String familyId) {
        return familyId != null && revokedFamilies.contains(familyId);
    }

    void revokeFamily(String familyId) {
        if (familyId != null) {
            revokedFamilies.add(familyId);
        }
    }

    /** Revokes every refresh token of the user, like Entra's revokeSignInSessions; returns how many were live. */
    int revokeUser(String userObjectId) {
        int count = 0;
        for (RefreshToken token : refreshTokens.values()) {
            if (token.userObjectId.equals(userObjectId) && !token.used.get() && revokedFamilies.add(token.familyId)) {
                count++;
            }
        }
        return count;
    }

    String issueDeviceCode(DeviceAuthorization authorization) {
        purge(deviceCodes, d -> d.expiresAt);
        userCodes.values().removeIf(d -> !d.expiresAt.isAfter(clock.instant()));
        String value = TokenMinter.opaque(48);
        deviceCodes.put(hash(value), authorization);
        userCodes.put(authorization.userCode, authorization);
        return value;
    }

    Optional<DeviceAuthorization> deviceCode(String value) {
        return Optional.ofNullable(deviceCodes.get(hash(value)));
    }

    /** The pending device authorization a person typed the code of (case and separators ignored). */
    Optional<DeviceAuthorization> userCode(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        String normalised = DeviceAuthorization.normaliseUserCode(typed);
        return Optional.ofNullable(userCodes.get(normalised))
                .filter(d -> d.expiresAt.isAfter(clock.instant()));
    }

    private <T> void purge(Map<String, T> map, java.util.function.Function<T, Instant> expiry) {
        if (map.size() > PURGE_THRESHOLD) {
            Instant now = clock.instant();
            Predicate<T> expired = t -> !expiry.apply(t).isAfter(now);
            map.values().removeIf(expired);
        }
    }

    static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
