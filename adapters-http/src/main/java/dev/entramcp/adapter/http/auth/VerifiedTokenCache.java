package dev.entramcp.adapter.http.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.entramcp.domain.model.CallerIdentity;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A bounded memory of tokens already verified, so that a client sending the same token on every
 * request pays for the signature check once (RS256 costs tens of microseconds; a hit costs a
 * SHA-256 of the token and a map lookup).
 *
 * <ul>
 *   <li><b>Keyed by a digest, not by the token:</b> the cache keeps the SHA-256 of each token,
 *       never the token itself, so that a heap dump of a busy server is not a pile of live
 *       bearer tokens. The cached caller carries no {@code UserAssertion} either; the verifier
 *       adds the token from the request on each hit.</li>
 *   <li><b>Still checks {@code exp}:</b> the verifier checks the cached expiry on every hit, and
 *       that the signing key is still published; entries are also evicted once expired.</li>
 *   <li><b>Only successes are cached,</b> so garbage tokens cannot fill it.</li>
 * </ul>
 */
final class VerifiedTokenCache {

    /** Cloned for each digest: cheaper than a thread-local on threads that carry many (Netty's). */
    private static final MessageDigest SHA_256_PROTOTYPE;

    static {
        try {
            SHA_256_PROTOTYPE = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** A verified token, as remembered: who, until when, and by which issuer and key. */
    record Entry(CallerIdentity caller, Instant expiresAt, TrustedIssuer issuer, VerificationKey key) {
    }

    /** The 256-bit digest of a token, as four longs: cheap to hash and compare, and not the token. */
    record TokenDigest(long a, long b, long c, long d) {
    }

    private final Cache<TokenDigest, Entry> cache;

    /**
     * @param maximumSize how many verified tokens to remember; 0 disables the cache
     * @param clockSkew   how long past {@code exp} an entry may still be useful (the verifier's skew)
     * @param clock       the verifier's clock
     */
    VerifiedTokenCache(int maximumSize, Duration clockSkew, Clock clock) {
        if (maximumSize < 0) {
            throw new IllegalArgumentException("'maximumSize' must not be negative");
        }
        this.cache = maximumSize == 0 ? null : Caffeine.newBuilder()
                .maximumSize(maximumSize)
                // Maintenance (eviction, expiry) on the calling thread, amortised over many reads,
                // instead of waking a common-pool thread for it from the request path.
                .executor(Runnable::run)
                .expireAfter(Expiry.<TokenDigest, Entry>creating((digest, entry) -> {
                    Duration left = Duration.between(clock.instant(), entry.expiresAt().plus(clockSkew));
                    return left.isNegative() ? Duration.ZERO : left;
                }))
                .build();
    }

    boolean enabled() {
        return cache != null;
    }

    Optional<Entry> get(TokenDigest digest) {
        return cache == null ? Optional.empty() : Optional.ofNullable(cache.getIfPresent(digest));
    }

    void put(TokenDigest digest, Entry entry) {
        if (cache != null) {
            cache.put(digest, entry);
        }
    }

    void invalidate(TokenDigest digest) {
        if (cache != null) {
            cache.invalidate(digest);
        }
    }

    long size() {
        if (cache == null) {
            return 0;
        }
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /**
     * The digest of a token, given as its bytes, one per character. The verifier only calls this
     * for tokens made of base64url characters and dots, for which that encoding is one-to-one.
     */
    static TokenDigest digest(byte[] token) {
        MessageDigest sha256;
        try {
            sha256 = (MessageDigest) SHA_256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the platform's SHA-256 cannot be cloned", e);
        }
        byte[] hash = sha256.digest(token);
        ByteBuffer buffer = ByteBuffer.wrap(hash);
        return new TokenDigest(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }
}
