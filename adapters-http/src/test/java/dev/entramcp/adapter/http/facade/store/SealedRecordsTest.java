package dev.entramcp.adapter.http.facade.store;

import dev.entramcp.adapter.http.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** AES-256-GCM sealing: nothing readable at rest, nothing movable or alterable, keys rotatable by id. */
class SealedRecordsTest {

    record Note(String secret, long number) {
    }

    private final MutableClock clock = MutableClock.atNow();
    private final InMemoryRecordStore raw = new InMemoryRecordStore(clock);

    private static String newKey(String kid) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return kid + ":" + Base64.getEncoder().encodeToString(key);
    }

    @Test
    void givenARecord_theStoredBytes_holdNeitherTheValueNorItsJsonButNameTheKeyId() {
        SealedRecords records = new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k1"))), clock);

        records.write("grants", "g1", new Note("refresh-token-value", 42), Optional.empty());

        String stored = new String(raw.get("grants", "g1").orElseThrow(), StandardCharsets.ISO_8859_1);
        assertThat(stored).startsWith("EMS2").contains("k1").doesNotContain("refresh-token-value").doesNotContain("secret");
        assertThat(records.read("grants", "g1", Note.class)).contains(new Note("refresh-token-value", 42));
    }

    @Test
    void givenAnAlteredByte_read_findsNoRecord_andReadStrictlyFails() {
        SealedRecords records = new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k1"))), clock);
        records.write("grants", "g1", new Note("x", 1), Optional.empty());
        byte[] sealed = raw.get("grants", "g1").orElseThrow();
        sealed[sealed.length - 1] ^= 1;
        raw.put("grants", "g1", sealed, Optional.empty());

        assertThat(records.read("grants", "g1", Note.class)).isEmpty();
        assertThatExceptionOfType(SealedRecords.UnreadableRecordException.class)
                .isThrownBy(() -> records.readStrictly("grants", "g1", Note.class))
                .withMessageNotContaining("x");
    }

    @Test
    void givenARecordCopiedUnderAnotherKeyOrNamespace_read_findsNoRecord() {
        SealedRecords records = new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k1"))), clock);
        records.write("grants", "alice", new Note("alice's", 1), Optional.empty());
        byte[] sealed = raw.get("grants", "alice").orElseThrow();

        raw.put("grants", "mallory", sealed, Optional.empty());
        raw.put("clients", "alice", sealed, Optional.empty());

        assertThat(records.read("grants", "mallory", Note.class)).isEmpty();
        assertThat(records.read("clients", "alice", Note.class)).isEmpty();
    }

    @Test
    void givenANewCurrentKeyBesideTheOldOne_oldRecordsStillOpen_andNewOnesAreSealedWithTheNewKey() {
        String k1 = newKey("k1");
        new SealedRecords(raw, StoreKeys.parse(List.of(k1)), clock).write("grants", "old", new Note("old", 1), Optional.empty());
        SealedRecords rotated = new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k2"), k1)), clock);

        rotated.write("grants", "new", new Note("new", 2), Optional.empty());

        assertThat(rotated.read("grants", "old", Note.class)).contains(new Note("old", 1));
        assertThat(new String(raw.get("grants", "new").orElseThrow(), StandardCharsets.ISO_8859_1)).contains("k2");
    }

    @Test
    void givenTheKeyOfARecordRemoved_read_findsNoRecord() {
        new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k1"))), clock).write("grants", "g1", new Note("x", 1), Optional.empty());

        SealedRecords withoutK1 = new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k2"))), clock);

        assertThat(withoutK1.read("grants", "g1", Note.class)).isEmpty();
    }

    @Test
    void givenTheVersionRead_replace_succeedsOnce_andAStaleVersionFails() {
        SealedRecords records = new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k1"))), clock);
        records.write("grants", "g1", new Note("gen", 0), Optional.empty());
        SealedRecords.Versioned<Note> read = records.readVersioned("grants", "g1", Note.class).orElseThrow();

        boolean first = records.replace("grants", "g1", Optional.of(read), new Note("gen", 1), Optional.empty());
        boolean stale = records.replace("grants", "g1", Optional.of(read), new Note("gen", 99), Optional.empty());

        assertThat(first).isTrue();
        assertThat(stale).isFalse();
        assertThat(records.read("grants", "g1", Note.class)).contains(new Note("gen", 1));
    }

    /**
     * Security review, finding 6: a file store keeps a record's expiry in the clear (to sweep files);
     * someone who can write the files can move it, but not the expiry sealed inside the record.
     */
    @Test
    void givenAFileRecordWhoseClearExpiryWasPushedBack_read_findsNoRecordAfterTheSealedExpiry(@TempDir Path temp)
            throws Exception {
        try (FileRecordStore files = FileRecordStore.open(temp, clock)) {
            SealedRecords records = new SealedRecords(files, StoreKeys.parse(List.of(newKey("k1"))), clock);
            records.write("codes", "c1", new Note("code", 1), Optional.of(clock.instant().plus(Duration.ofMinutes(1))));
            Path file;
            try (Stream<Path> all = Files.walk(temp.resolve("codes"))) {
                file = all.filter(Files::isRegularFile).findFirst().orElseThrow();
            }
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer.wrap(bytes).putLong(0, Long.MAX_VALUE);
            Files.write(file, bytes);

            clock.advance(Duration.ofMinutes(2));

            assertThat(files.get("codes", "c1")).as("the store itself believes the altered expiry").isPresent();
            assertThat(records.read("codes", "c1", Note.class)).isEmpty();
            assertThat(records.take("codes", "c1", Note.class)).isEmpty();
        }
    }

    @Test
    void givenASealedExpiryAlteredInsideTheRecord_read_findsNoRecord_andReadStrictlyFails() {
        SealedRecords records = new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k1"))), clock);
        records.write("grants", "g1", new Note("x", 1), Optional.of(clock.instant().plus(Duration.ofMinutes(1))));
        byte[] sealed = raw.get("grants", "g1").orElseThrow();
        int expiryAt = 4 + 1 + 2;
        ByteBuffer.wrap(sealed).putLong(expiryAt, ByteBuffer.wrap(sealed).getLong(expiryAt) + Duration.ofDays(1).toMillis());
        raw.put("grants", "g1", sealed, Optional.empty());

        assertThat(records.read("grants", "g1", Note.class)).isEmpty();
        assertThatExceptionOfType(SealedRecords.UnreadableRecordException.class)
                .isThrownBy(() -> records.readStrictly("grants", "g1", Note.class));
    }

    @Test
    void givenARecordSealedBeforeExpiriesWereSealed_read_stillOpensIt() throws Exception {
        String k1 = newKey("k1");
        byte[] key = Base64.getDecoder().decode(k1.substring(3));
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD("entramcp-facade-store/v1|clients|c1|k1".getBytes(StandardCharsets.UTF_8));
        byte[] ciphertext = cipher.doFinal("{\"secret\":\"legacy\",\"number\":7}".getBytes(StandardCharsets.UTF_8));
        raw.put("clients", "c1", ByteBuffer.allocate(4 + 1 + 2 + 12 + ciphertext.length).put("EMS1".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 2).put("k1".getBytes(StandardCharsets.US_ASCII)).put(nonce).put(ciphertext).array(), Optional.empty());

        assertThat(new SealedRecords(raw, StoreKeys.parse(List.of(k1)), clock).read("clients", "c1", Note.class))
                .contains(new Note("legacy", 7));
    }

    @Test
    void givenMalformedKeyConfiguration_parse_saysWhatIsWrongWithoutEchoingTheKey() {
        String shortKey = "k1:" + Base64.getEncoder().encodeToString(new byte[16]);

        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> StoreKeys.parse(List.of(shortKey)))
                .withMessageContaining("exactly 32 bytes").withMessageNotContaining(shortKey.substring(3));
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> StoreKeys.parse(List.of("no-colon")))
                .withMessageContaining("kid:base64");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> StoreKeys.parse(List.of(newKey("k1"), newKey("k1"))))
                .withMessageContaining("used twice");
    }

    @Test
    void givenASecretHashedUnderAnOldKey_matchesMac_stillRecognisesItAfterRotation() {
        String k1 = newKey("k1");
        String stored = StoreKeys.parse(List.of(k1)).mac("client-secret", "s3cret");
        StoreKeys rotated = StoreKeys.parse(List.of(newKey("k2"), k1));

        assertThat(stored).startsWith("v2$k1$").doesNotContain("s3cret");
        assertThat(rotated.matchesMac("client-secret", "s3cret", stored)).isTrue();
        assertThat(rotated.matchesMac("client-secret", "wrong", stored)).isFalse();
        assertThat(rotated.matchesMac("another-purpose", "s3cret", stored)).isFalse();
        assertThat(rotated.toString()).doesNotContain(k1.substring(3));
    }
}
