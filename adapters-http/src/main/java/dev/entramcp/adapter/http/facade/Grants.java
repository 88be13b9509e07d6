package dev.entramcp.adapter.http.facade;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.entramcp.adapter.http.facade.store.SealedRecords;
import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The grants, their refresh tokens, and the index of each user's grants.
 *
 * <h2>Refresh tokens</h2>
 * A refresh token is {@code rt1.<grant id>.<generation>.<mac>}, where the MAC is HMAC-SHA-256 of
 * {@code <grant id>.<generation>} under a random key that exists only in the (sealed) grant record.
 * Nothing else is stored: the grant knows its current generation, so
 * <ul>
 *   <li>the newest token (its generation is current) is valid, once: using it moves the grant to
 *       the next generation with a compare-and-set, so of two concurrent uses only one wins;</li>
 *   <li>an older token with a valid MAC was already used: it is a <b>replay</b>. The thief and the
 *       client cannot be told apart, so the whole grant (the token family) is revoked, and the
 *       user's upstream tokens are deleted;</li>
 *   <li>a token whose MAC is wrong was never issued: refused, and nothing is revoked (the grant id
 *       alone is no secret, it is in every access token).</li>
 * </ul>
 *
 * <h2>The user's roles</h2>
 * A grant keeps the user as Entra last described them: the app roles of the sign-in's ID token at
 * first, then those of each newer ID token, from a refresh of the upstream tokens or another
 * sign-in of the same user ({@link #update}). Access tokens are issued from the grant, so a role
 * removed at Entra stops appearing in them from the next upstream refresh on.
 *
 * <h2>Ending a grant</h2>
 * A revoked grant is deleted. The user's upstream tokens are shared by all their grants (the
 * domain's store is keyed by user), so they are deleted when the user's last grant ends, and at
 * once when a replay suggests that a token was stolen.
 */
public final class Grants {

    static final String NAMESPACE = "grants";
    static final String INDEX_NAMESPACE = "user-grants";

    private static final Logger LOG = LoggerFactory.getLogger(Grants.class);
    private static final Pattern REFRESH_TOKEN = Pattern.compile("rt1\\.([A-Za-z0-9_-]{22})\\.(\\d{1,18})\\.([A-Za-z0-9_-]{43})");
    private static final Pattern GRANT_ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final int MAX_ATTEMPTS = 8;

    private final SealedRecords records;
    private final UpstreamTokenStorePort upstreamTokens;
    private final Clock clock;
    private final Duration grantLifetime;
    private final Duration refreshIdleLifetime;

    public Grants(SealedRecords records, UpstreamTokenStorePort upstreamTokens, Clock clock, Duration grantLifetime,
                  Duration refreshIdleLifetime) {
        this.records = Objects.requireNonNull(records, "'records' must not be null");
        this.upstreamTokens = Objects.requireNonNull(upstreamTokens, "'upstreamTokens' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.grantLifetime = Objects.requireNonNull(grantLifetime, "'grantLifetime' must not be null");
        this.refreshIdleLifetime = Objects.requireNonNull(refreshIdleLifetime, "'refreshIdleLifetime' must not be null");
    }

    /** A grant and the refresh token to hand out for it. Masks the token in {@code toString}. */
    public record Issued(Grant grant, String refreshToken) {
        @Override
        public String toString() {
            return "Issued[grant=" + grant.id() + ", refreshToken=***]";
        }
    }

    /** What presenting a refresh token led to. */
    public sealed interface Refresh {
        /** Valid: the grant moved to the next generation; hand out the new token. */
        record Rotated(Grant grant, String refreshToken) implements Refresh {
            @Override
            public String toString() {
                return "Rotated[grant=" + grant.id() + ", refreshToken=***]";
            }
        }

        /** Not valid (unknown, expired, never issued, another client's): nothing else happened. */
        record Refused(String description) implements Refresh {
        }

        /** An already-used token came back: the grant was revoked and the user's upstream tokens deleted. */
        record ReplayDetected(Grant revoked) implements Refresh {
        }
    }

    /** The stored grant; the refresh key exists in the clear only inside the sealed record. */
    record Stored(@JsonProperty("id") String id,
                  @JsonProperty("tid") String tenantId,
                  @JsonProperty("oid") String objectId,
                  @JsonProperty("username") String username,
                  @JsonProperty("name") String displayName,
                  @JsonProperty("roles") List<String> roles,
                  @JsonProperty("client_id") String clientId,
                  @JsonProperty("scopes") List<String> scopes,
                  @JsonProperty("created_at") long createdAt,
                  @JsonProperty("expires_at") long expiresAt,
                  @JsonProperty("refresh_key") String refreshKey,
                  @JsonProperty("refresh_generation") long refreshGeneration,
                  @JsonProperty("refresh_expires_at") long refreshExpiresAt) {

        Grant toGrant() {
            return new Grant(id, SignedInUser.of(tenantId, objectId, username, displayName, roles), clientId,
                    new java.util.TreeSet<>(scopes), Instant.ofEpochMilli(createdAt), Instant.ofEpochMilli(expiresAt),
                    refreshGeneration, Instant.ofEpochMilli(refreshExpiresAt));
        }

        Stored withUser(SignedInUser user) {
            return new Stored(id, tenantId, objectId, user.username(), user.displayName(), List.copyOf(user.roles()),
                    clientId, scopes, createdAt, expiresAt, refreshKey, refreshGeneration, refreshExpiresAt);
        }

        boolean describes(SignedInUser user) {
            return username.equals(user.username()) && displayName.equals(user.displayName())
                    && new java.util.TreeSet<>(roles).equals(user.roles());
        }

        Stored nextGeneration(Instant refreshExpires) {
            return new Stored(id, tenantId, objectId, username, displayName, roles, clientId, scopes, createdAt, expiresAt,
                    refreshKey, refreshGeneration + 1, refreshExpires.toEpochMilli());
        }

        Optional<Instant> recordExpiry() {
            return Optional.of(Instant.ofEpochMilli(Math.min(expiresAt, refreshExpiresAt)));
        }

        @Override
        public String toString() {
            return "Stored[id=" + id + ", ***]";
        }
    }

    /** The ids of one user's grants. */
    record Index(@JsonProperty("grant_ids") List<String> grantIds) {
    }

    /** A new, random grant id, for a grant to be created with {@link #create(String, SignedInUser, String, SortedSet)}. */
    public static String newId() {
        return RandomValues.token(16);
    }

    /** Creates a grant for a user and a client, and its first refresh token. */
    public Issued create(SignedInUser user, String clientId, SortedSet<String> scopes) {
        return create(newId(), user, clientId, scopes);
    }

    /** Creates the grant {@code id} (from {@link #newId}, unused) for a user and a client, and its first refresh token. */
    public Issued create(String id, SignedInUser user, String clientId, SortedSet<String> scopes) {
        if (id == null || !GRANT_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("'id' must be a grant id from newId()");
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(grantLifetime);
        Instant refreshExpires = min(now.plus(refreshIdleLifetime), expiresAt);
        Stored stored = new Stored(id, user.principal().tenantId(), user.principal().objectId(), user.username(),
                user.displayName(), List.copyOf(user.roles()), clientId, List.copyOf(scopes), now.toEpochMilli(),
                expiresAt.toEpochMilli(), RandomValues.token(32), 0, refreshExpires.toEpochMilli());
        records.write(NAMESPACE, id, stored, stored.recordExpiry());
        updateIndex(user.principal(), ids -> ids.add(id));
        return new Issued(stored.toGrant(), refreshToken(stored));
    }

    /** The grant, if it exists and has not ended. */
    public Optional<Grant> find(String grantId) {
        if (grantId == null || !GRANT_ID.matcher(grantId).matches()) {
            return Optional.empty();
        }
        return records.read(NAMESPACE, grantId, Stored.class).map(Stored::toGrant).filter(g -> g.isLiveAt(clock.instant()));
    }

    /** Presents a refresh token on behalf of {@code clientId} (already authenticated); see the class comment. */
    public Refresh refresh(String refreshToken, String clientId) {
        Matcher parts = refreshToken == null ? null : REFRESH_TOKEN.matcher(refreshToken);
        if (parts == null || !parts.matches()) {
            return new Refresh.Refused("the refresh token is malformed");
        }
        String grantId = parts.group(1);
        long generation = Long.parseLong(parts.group(2));
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<SealedRecords.Versioned<Stored>> read = records.readVersioned(NAMESPACE, grantId, Stored.class);
            if (read.isEmpty()) {
                return new Refresh.Refused("the refresh token is unknown, expired or revoked");
            }
            Stored stored = read.get().value();
            if (!stored.clientId().equals(clientId)) {
                return new Refresh.Refused("the refresh token was not issued to this client");
            }
            if (generation > stored.refreshGeneration() || !RandomValues.same(parts.group(3), mac(stored, generation))) {
                return new Refresh.Refused("the refresh token is unknown, expired or revoked");
            }
            Grant grant = stored.toGrant();
            if (generation < stored.refreshGeneration()) {
                LOG.warn("A used refresh token of grant {} (client {}, user {}) was presented again: revoking the grant",
                        grantId, clientId, grant.principal().asKey());
                revoke(grant, true);
                return new Refresh.ReplayDetected(grant);
            }
            Instant now = clock.instant();
            if (!grant.isLiveAt(now) || !now.isBefore(grant.refreshExpiresAt())) {
                return new Refresh.Refused("the refresh token has expired");
            }
            Stored next = stored.nextGeneration(min(now.plus(refreshIdleLifetime), grant.expiresAt()));
            if (records.replace(NAMESPACE, grantId, Optional.of(read.get()), next, next.recordExpiry())) {
                return new Refresh.Rotated(next.toGrant(), refreshToken(next));
            }
            // Someone else rotated meanwhile: loop, and this token is now a replay.
        }
        return new Refresh.Refused("the grant is being changed concurrently; try again");
    }

    /**
     * Takes the user as the upstream describes them now (app roles, names) into each of their live
     * grants, each with a compare-and-set so that a concurrent refresh-token rotation is neither
     * lost nor lost to. A grant that cannot be updated (it kept changing) is revoked rather than
     * left with roles the user may no longer hold.
     */
    public void update(SignedInUser user) {
        int changed = 0;
        for (Grant grant : of(user.principal())) {
            boolean done = false;
            for (int attempt = 0; attempt < MAX_ATTEMPTS && !done; attempt++) {
                Optional<SealedRecords.Versioned<Stored>> read = records.readVersioned(NAMESPACE, grant.id(), Stored.class);
                if (read.isEmpty() || read.get().value().describes(user)) {
                    done = true;
                } else if (!grant.principal().equals(read.get().value().toGrant().principal())) {
                    done = true;
                } else {
                    Stored next = read.get().value().withUser(user);
                    done = records.replace(NAMESPACE, grant.id(), Optional.of(read.get()), next, next.recordExpiry());
                    changed += done ? 1 : 0;
                }
            }
            if (!done) {
                LOG.warn("Grant {} of {} kept changing while its user's roles were updated: revoking it", grant.id(),
                        user.principal().asKey());
                revoke(grant, false);
            }
        }
        if (changed > 0) {
            LOG.info("{} is described differently by Entra now (app roles {}); {} grant(s) updated",
                    user.principal().asKey(), user.roles(), changed);
        }
    }

    /**
     * The grant a refresh token of this client belongs to, whatever its generation (for
     * revocation: an old token of the family may revoke it too).
     */
    public Optional<Grant> findByRefreshToken(String refreshToken, String clientId) {
        Matcher parts = refreshToken == null ? null : REFRESH_TOKEN.matcher(refreshToken);
        if (parts == null || !parts.matches()) {
            return Optional.empty();
        }
        long generation = Long.parseLong(parts.group(2));
        return records.read(NAMESPACE, parts.group(1), Stored.class)
                .filter(stored -> stored.clientId().equals(clientId))
                .filter(stored -> generation <= stored.refreshGeneration() && RandomValues.same(parts.group(3), mac(stored, generation)))
                .map(Stored::toGrant);
    }

    /**
     * Ends a grant. The user's upstream tokens are deleted with it when {@code suspectTheft} (a
     * replay) or when it was the user's last grant.
     */
    public void revoke(Grant grant, boolean suspectTheft) {
        records.delete(NAMESPACE, grant.id());
        updateIndex(grant.principal(), ids -> ids.remove(grant.id()));
        if (suspectTheft || of(grant.principal()).isEmpty()) {
            upstreamTokens.delete(grant.principal());
        }
    }

    /** The live grants of a user (the index is cleaned of grants that ended by time on the way). */
    public List<Grant> of(PrincipalId principal) {
        List<Grant> live = new ArrayList<>();
        List<String> ids = records.read(INDEX_NAMESPACE, principal.asKey(), Index.class).map(Index::grantIds).orElse(List.of());
        for (String id : ids) {
            find(id).ifPresent(live::add);
        }
        if (live.size() != ids.size()) {
            Set<String> liveIds = new LinkedHashSet<>();
            live.forEach(grant -> liveIds.add(grant.id()));
            updateIndex(principal, current -> current.retainAll(liveIds));
        }
        return live;
    }

    private List<String> updateIndex(PrincipalId principal, java.util.function.Consumer<Set<String>> change) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<SealedRecords.Versioned<Index>> read = records.readVersioned(INDEX_NAMESPACE, principal.asKey(), Index.class);
            Set<String> ids = new LinkedHashSet<>(read.map(v -> v.value().grantIds()).orElse(List.of()));
            change.accept(ids);
            List<String> updated = List.copyOf(ids);
            if (records.replace(INDEX_NAMESPACE, principal.asKey(), read, new Index(updated),
                    Optional.of(clock.instant().plus(grantLifetime)))) {
                return updated;
            }
        }
        throw new IllegalStateException("The grant index of a user kept changing");
    }

    private static String refreshToken(Stored stored) {
        return "rt1." + stored.id() + "." + stored.refreshGeneration() + "." + mac(stored, stored.refreshGeneration());
    }

    private static String mac(Stored stored, long generation) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getUrlDecoder().decode(stored.refreshKey()), "HmacSHA256"));
            return RandomValues.base64url(mac.doFinal((stored.id() + "." + generation).getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
