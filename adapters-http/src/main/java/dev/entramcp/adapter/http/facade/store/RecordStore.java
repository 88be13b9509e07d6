package dev.entramcp.adapter.http.facade.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the authorization-server facade keeps what it must remember: opaque byte records, by
 * namespace and key, each with an optional expiry. It never sees a plaintext secret: every value
 * arrives already sealed by {@link SealedRecords}.
 *
 * <p>The operations are the few that a shared store offers atomically, so that several server
 * instances can share one later (Redis: {@code GET}, {@code SET ... PXAT}, {@code GETDEL},
 * {@code DEL}, and a compare-and-set as a short Lua script or {@code WATCH}/{@code MULTI}):
 * <ul>
 *   <li>{@link #take} is what makes a one-time value (an authorization code, a {@code state})
 *       single-use even when two requests race for it;</li>
 *   <li>{@link #compareAndSet} is what makes refresh-token rotation detect a replay even when two
 *       requests present the same refresh token at once.</li>
 * </ul>
 * An expired record is absent for every operation. Keys are short printable strings; callers
 * hash secret values before using them as keys, so that a key never reveals a usable secret.
 */
public interface RecordStore extends AutoCloseable {

    /** The value, unless absent or expired. */
    Optional<byte[]> get(String namespace, String key);

    /** Writes the value, replacing any other; it disappears after {@code expiresAt} if given. */
    void put(String namespace, String key, byte[] value, Optional<Instant> expiresAt);

    /** Reads and removes the value atomically: of two concurrent callers, at most one gets it. */
    Optional<byte[]> take(String namespace, String key);

    /**
     * Writes {@code value} only if the stored value is exactly {@code expected} (empty: only if
     * absent), atomically.
     *
     * @return whether it was written
     */
    boolean compareAndSet(String namespace, String key, Optional<byte[]> expected, byte[] value, Optional<Instant> expiresAt);

    /** Removes the value, if any. */
    void delete(String namespace, String key);

    /** Releases what the store holds (a lock, a connection); nothing by default. */
    @Override
    default void close() {
    }
}
