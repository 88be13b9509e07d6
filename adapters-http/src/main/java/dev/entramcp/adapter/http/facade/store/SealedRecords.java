package dev.entramcp.adapter.http.facade.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed records, sealed with AES-256-GCM before they reach the {@link RecordStore}, so that
 * whatever holds the bytes (a file system, a backup, a shared cache) learns nothing from them, and
 * cannot alter a record, move it under another key, or make it live longer without the record
 * failing to open.
 *
 * <h2>Format of a sealed record</h2>
 * {@code "EMS2" | key-id length (1 byte) | key id | expiry (8 bytes, epoch ms; none: Long.MAX_VALUE)
 * | nonce (12 random bytes) | ciphertext + tag (16 bytes)}, where the plaintext is the record as
 * JSON, sealed under the record key {@link StoreKeys} derives (HKDF) from the configured key. The associated data bind the ciphertext to where it belongs and how long it lives:
 * {@code "entramcp-facade-store/v2|" + namespace + "|" + key + "|" + key id + "|" + expiry}. A
 * record copied under another key or namespace, altered in any bit, or given another expiry fails
 * to open; a record past its sealed expiry is absent, whatever the store says (a file store keeps
 * its own copy of the expiry in the clear, to sweep files, and anyone who can write the files can
 * change that copy). Records written before the expiry was sealed ({@code "EMS1"}, the same
 * without the expiry, associated data {@code ".../v1|" + namespace + "|" + key + "|" + key id},
 * sealed under the configured key itself) still open, and are rewritten in the current format
 * when next written.
 *
 * <h2>What sealing does not detect</h2>
 * Someone who can write the store can still <b>delete</b> records (which fails closed: a deleted
 * grant is a revoked one, a deleted client must register again) and <b>put back an older sealed
 * copy of the same record</b> before it expires (a rollback): an older grant record would make an
 * already-rotated refresh token valid again, a deleted "redeemed code" record would hide a code
 * replay. Detecting that would need a counter kept outside the store; protect write access to the
 * store instead.
 *
 * <h2>When a record cannot be opened</h2>
 * (its key id is no longer configured, or the bytes were altered) {@link #read} treats it as
 * absent and logs a warning naming only the namespace: a grant that cannot be read is a grant that
 * no longer exists, which fails closed. {@link #readStrictly} throws instead, for the records the
 * server cannot start without (its signing keys).
 */
public final class SealedRecords {

    private static final Logger LOG = LoggerFactory.getLogger(SealedRecords.class);
    private static final byte[] MAGIC = "EMS2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LEGACY_MAGIC = "EMS1".getBytes(StandardCharsets.US_ASCII);
    private static final long NO_EXPIRY = Long.MAX_VALUE;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RecordStore store;
    private final StoreKeys keys;
    private final Clock clock;
    private final ObjectMapper json;

    /** @param clock what a record's sealed expiry is checked against */
    public SealedRecords(RecordStore store, StoreKeys keys, Clock clock) {
        this.store = Objects.requireNonNull(store, "'store' must not be null");
        this.keys = Objects.requireNonNull(keys, "'keys' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** A record as read, with the exact bytes stored, to replace it only if nobody else did meanwhile. */
    public record Versioned<T>(T value, byte[] sealed) {
        public Versioned {
            Objects.requireNonNull(value, "'value' must not be null");
            sealed = sealed.clone();
        }

        @Override
        public byte[] sealed() {
            return sealed.clone();
        }
    }

    /** Thrown by {@link #readStrictly} when a record exists but cannot be opened. */
    public static final class UnreadableRecordException extends RuntimeException {
        UnreadableRecordException(String namespace) {
            super("A record in '" + namespace + "' cannot be opened with the configured store keys "
                    + "(a key was removed or changed, or the record was altered)", null, false, false);
        }
    }

    public StoreKeys keys() {
        return keys;
    }

    public <T> Optional<T> read(String namespace, String key, Class<T> type) {
        return readVersioned(namespace, key, type).map(Versioned::value);
    }

    public <T> Optional<Versioned<T>> readVersioned(String namespace, String key, Class<T> type) {
        Optional<byte[]> sealed = store.get(namespace, key);
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        try {
            return open(namespace, key, sealed.get(), type).map(value -> new Versioned<>(value, sealed.get()));
        } catch (UnreadableRecordException e) {
            LOG.warn("A record in '{}' cannot be opened (store key missing or record altered); treating it as absent", namespace);
            return Optional.empty();
        }
    }

    /** Like {@link #readVersioned}, but a record that exists and cannot be opened is an error. */
    public <T> Optional<Versioned<T>> readStrictly(String namespace, String key, Class<T> type) {
        Optional<byte[]> sealed = store.get(namespace, key);
        return sealed.flatMap(bytes -> open(namespace, key, bytes, type).map(value -> new Versioned<>(value, bytes)));
    }

    public <T> void write(String namespace, String key, T value, Optional<Instant> expiresAt) {
        store.put(namespace, key, seal(namespace, key, value, expiresAt), expiresAt);
    }

    /** Reads and removes the record atomically (single use); an unopenable record is removed and absent. */
    public <T> Optional<T> take(String namespace, String key, Class<T> type) {
        Optional<byte[]> sealed = store.take(namespace, key);
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        try {
            return open(namespace, key, sealed.get(), type);
        } catch (UnreadableRecordException e) {
            LOG.warn("A record in '{}' cannot be opened (store key missing or record altered); treating it as absent", namespace);
            return Optional.empty();
        }
    }

    /**
     * Writes {@code value} only if the record is still what {@code expected} read (empty: only if
     * there is none).
     */
    public <T, E> boolean replace(String namespace, String key, Optional<Versioned<E>> expected, T value,
                                  Optional<Instant> expiresAt) {
        return store.compareAndSet(namespace, key, expected.map(Versioned::sealed), seal(namespace, key, value, expiresAt),
                expiresAt);
    }

    public void delete(String namespace, String key) {
        store.delete(namespace, key);
    }

    private byte[] seal(String namespace, String key, Object value, Optional<Instant> expiresAt) {
        byte[] plaintext;
        try {
            plaintext = json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A " + value.getClass().getSimpleName() + " record cannot be serialised");
        }
        String keyId = keys.currentKeyId();
        byte[] kid = keyId.getBytes(StandardCharsets.US_ASCII);
        long expiry = Objects.requireNonNull(expiresAt, "'expiresAt' must not be null").map(Instant::toEpochMilli).orElse(NO_EXPIRY);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.current(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(namespace, key, keyId, expiry));
            byte[] ciphertext = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(MAGIC.length + 1 + kid.length + Long.BYTES + NONCE_BYTES + ciphertext.length)
                    .put(MAGIC).put((byte) kid.length).put(kid).putLong(expiry).put(nonce).put(ciphertext).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** The record, or empty if its sealed expiry has passed; throws if it cannot be opened. */
    private <T> Optional<T> open(String namespace, String key, byte[] sealed, Class<T> type) {
        ByteBuffer buffer = ByteBuffer.wrap(sealed);
        if (sealed.length < MAGIC.length + 1 + NONCE_BYTES + TAG_BITS / 8) {
            throw new UnreadableRecordException(namespace);
        }
        byte[] magic = new byte[MAGIC.length];
        buffer.get(magic);
        boolean legacy = Arrays.equals(magic, LEGACY_MAGIC);
        int kidLength = buffer.get() & 0xFF;
        int header = legacy ? 0 : Long.BYTES;
        if (!(legacy || Arrays.equals(magic, MAGIC)) || kidLength == 0
                || buffer.remaining() < kidLength + header + NONCE_BYTES + TAG_BITS / 8) {
            throw new UnreadableRecordException(namespace);
        }
        byte[] kid = new byte[kidLength];
        buffer.get(kid);
        String keyId = new String(kid, StandardCharsets.US_ASCII);
        long expiry = legacy ? NO_EXPIRY : buffer.getLong();
        SecretKey secretKey = (legacy ? keys.configuredKey(keyId) : keys.byId(keyId))
                .orElseThrow(() -> new UnreadableRecordException(namespace));
        byte[] nonce = new byte[NONCE_BYTES];
        buffer.get(nonce);
        byte[] ciphertext = new byte[buffer.remaining()];
        buffer.get(ciphertext);
        byte[] plaintext;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, secretKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(legacy ? legacyAssociatedData(namespace, key, keyId) : associatedData(namespace, key, keyId, expiry));
            plaintext = cipher.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new UnreadableRecordException(namespace);
        }
        try {
            if (expiry != NO_EXPIRY && clock.millis() >= expiry) {
                return Optional.empty();
            }
            return Optional.of(json.readValue(plaintext, type));
        } catch (IOException e) {
            throw new UnreadableRecordException(namespace);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static byte[] associatedData(String namespace, String key, String keyId, long expiry) {
        return ("entramcp-facade-store/v2|" + namespace + "|" + key + "|" + keyId + "|"
                + (expiry == NO_EXPIRY ? "none" : Long.toString(expiry))).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] legacyAssociatedData(String namespace, String key, String keyId) {
        return ("entramcp-facade-store/v1|" + namespace + "|" + key + "|" + keyId).getBytes(StandardCharsets.UTF_8);
    }
}
