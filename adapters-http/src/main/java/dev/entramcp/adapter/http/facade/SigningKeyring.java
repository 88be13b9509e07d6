package dev.entramcp.adapter.http.facade;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.entramcp.adapter.http.auth.SigningKeys;
import dev.entramcp.adapter.http.facade.store.SealedRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The facade's own RSA signing keys, kept sealed in the store (so that a restart with a durable
 * store keeps them, and tokens issued before it stay valid), and published as a JWKS.
 *
 * <h2>Rotation</h2>
 * The current key signs; when it is older than {@code rotation} a new key (2048-bit RSA, RS256,
 * {@code kid} = its RFC 7638 thumbprint) takes over and the old one is <em>retired</em>: no longer
 * used to sign, still published and accepted until every token it signed has expired
 * ({@code retention}: the access-token lifetime plus the verifier's clock skew), then dropped. Only
 * this server verifies these tokens, reading its keys from memory, so a new key can sign at once;
 * a verifier elsewhere would need the new key published a while before it signs.
 *
 * <p>Rotation goes through a compare-and-set on the one keyring record, so two instances sharing
 * a store would not both rotate; each reloads the keyring to pick up the other's rotation.
 */
public final class SigningKeyring {

    static final String NAMESPACE = "signing-keys";
    static final String KEY = "keyring";

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyring.class);
    private static final int RSA_BITS = 2048;

    private final SealedRecords records;
    private final Clock clock;
    private final Duration rotation;
    private final Duration retention;
    private volatile Snapshot snapshot;

    /** One key as stored; the private JWK exists in the clear only inside the sealed record. */
    record StoredKey(@JsonProperty("jwk") String jwk, @JsonProperty("created_at") long createdAt,
                     @JsonProperty("retired_at") Long retiredAt) {
        @Override
        public String toString() {
            return "StoredKey[***]";
        }
    }

    /** The keyring record: current key first. */
    record Stored(@JsonProperty("keys") List<StoredKey> keys) {
    }

    private record Snapshot(SealedRecords.Versioned<Stored> version, RSAKey current, JWKSet publicKeys,
                            SigningKeys verification) {
    }

    private SigningKeyring(SealedRecords records, Clock clock, Duration rotation, Duration retention) {
        this.records = records;
        this.clock = clock;
        this.rotation = rotation;
        this.retention = retention;
    }

    /**
     * Loads the keyring, creating it on first start, and rotates it if its current key is due.
     *
     * @throws SealedRecords.UnreadableRecordException if a keyring exists but the configured store
     *                                                 keys cannot open it (the server must not start
     *                                                 with new keys and silently invalidate every token)
     */
    public static SigningKeyring open(SealedRecords records, Clock clock, Duration rotation, Duration retention) {
        SigningKeyring keyring = new SigningKeyring(Objects.requireNonNull(records, "'records' must not be null"),
                Objects.requireNonNull(clock, "'clock' must not be null"),
                Objects.requireNonNull(rotation, "'rotation' must not be null"),
                Objects.requireNonNull(retention, "'retention' must not be null"));
        keyring.reload();
        keyring.rotateIfDue();
        return keyring;
    }

    /** The key that signs now. */
    public RSAKey current() {
        return snapshot.current();
    }

    /** The public keys to publish and accept: the current one and the retired ones still in use. */
    public JWKSet publicKeys() {
        return snapshot.publicKeys();
    }

    /**
     * The keys as the resource server's verifier looks them up: always the latest keyring, so a
     * rotation needs no restart (the lookup never blocks and never reads the store).
     */
    public SigningKeys verificationKeys() {
        return keyId -> snapshot.verification().find(keyId);
    }

    /** Rotates if the current key is older than the rotation period; returns whether it did. */
    public synchronized boolean rotateIfDue() {
        reload();
        Instant created = Instant.ofEpochMilli(snapshot.version().value().keys().get(0).createdAt());
        if (clock.instant().isBefore(created.plus(rotation))) {
            return dropExpired();
        }
        rotateNow();
        return true;
    }

    /** A new current key at once; the previous one is retired (still accepted until its tokens expire). */
    public synchronized void rotateNow() {
        for (int attempt = 0; attempt < 5; attempt++) {
            Snapshot seen = snapshot;
            Instant now = clock.instant();
            List<StoredKey> keys = new ArrayList<>();
            keys.add(new StoredKey(generate().toJSONString(), now.toEpochMilli(), null));
            for (StoredKey key : seen.version().value().keys()) {
                StoredKey retired = key.retiredAt() == null ? new StoredKey(key.jwk(), key.createdAt(), now.toEpochMilli()) : key;
                if (!expired(retired, now)) {
                    keys.add(retired);
                }
            }
            if (records.replace(NAMESPACE, KEY, Optional.of(seen.version()), new Stored(keys), Optional.empty())) {
                reload();
                LOG.info("Rotated the facade's signing key: now {} (previous keys published until their tokens expire)",
                        snapshot.current().getKeyID());
                return;
            }
            reload();
        }
        throw new IllegalStateException("The facade's signing keyring kept changing during rotation");
    }

    /** Re-reads the keyring (another instance may have rotated it); creates it if there is none. */
    public synchronized void reload() {
        Optional<SealedRecords.Versioned<Stored>> read = records.readStrictly(NAMESPACE, KEY, Stored.class);
        if (read.isEmpty()) {
            Stored first = new Stored(List.of(new StoredKey(generate().toJSONString(), clock.instant().toEpochMilli(), null)));
            if (!records.replace(NAMESPACE, KEY, Optional.empty(), first, Optional.empty())) {
                LOG.debug("Another instance created the signing keyring first");
            }
            read = records.readStrictly(NAMESPACE, KEY, Stored.class);
        }
        SealedRecords.Versioned<Stored> version = read.orElseThrow(
                () -> new IllegalStateException("The facade's signing keyring could not be created"));
        snapshot = snapshotOf(version);
    }

    private boolean dropExpired() {
        Snapshot seen = snapshot;
        Instant now = clock.instant();
        List<StoredKey> kept = seen.version().value().keys().stream().filter(key -> !expired(key, now)).toList();
        if (kept.size() == seen.version().value().keys().size()) {
            return false;
        }
        records.replace(NAMESPACE, KEY, Optional.of(seen.version()), new Stored(kept), Optional.empty());
        reload();
        return false;
    }

    private boolean expired(StoredKey key, Instant now) {
        return key.retiredAt() != null && !now.isBefore(Instant.ofEpochMilli(key.retiredAt()).plus(retention));
    }

    private static Snapshot snapshotOf(SealedRecords.Versioned<Stored> version) {
        List<JWK> publicKeys = new ArrayList<>();
        RSAKey current = null;
        for (StoredKey stored : version.value().keys()) {
            RSAKey key;
            try {
                key = RSAKey.parse(stored.jwk());
            } catch (ParseException e) {
                throw new IllegalStateException("The facade's signing keyring holds a key that cannot be read");
            }
            if (current == null) {
                current = key;
            }
            publicKeys.add(key.toPublicJWK());
        }
        if (current == null) {
            throw new IllegalStateException("The facade's signing keyring is empty");
        }
        JWKSet published = new JWKSet(publicKeys);
        return new Snapshot(version, current, published, SigningKeys.of(published));
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(RSA_BITS)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("An RSA signing key cannot be generated", e);
        }
    }
}
