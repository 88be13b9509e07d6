package dev.entramcp.adapter.http.facade.store;

import dev.entramcp.adapter.http.support.MutableClock;
import org.junit.jupiter.api.Test;

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

    private final InMemoryRecordStore raw = new InMemoryRecordStore(MutableClock.atNow());

    private static String newKey(String kid) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return kid + ":" + Base64.getEncoder().encodeToString(key);
    }

    @Test
    void givenARecord_theStoredBytes_holdNeitherTheValueNorItsJsonButNameTheKeyId() {
        SealedRecords records = new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k1"))));

        records.write("grants", "g1", new Note("refresh-token-value", 42), Optional.empty());

        String stored = new String(raw.get("grants", "g1").orElseThrow(), StandardCharsets.ISO_8859_1);
        assertThat(stored).startsWith("EMS1").contains("k1").doesNotContain("refresh-token-value").doesNotContain("secret");
        assertThat(records.read("grants", "g1", Note.class)).contains(new Note("refresh-token-value", 42));
    }

    @Test
    void givenAnAlteredByte_read_findsNoRecord_andReadStrictlyFails() {
        SealedRecords records = new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k1"))));
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
        SealedRecords records = new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k1"))));
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
        new SealedRecords(raw, StoreKeys.parse(List.of(k1))).write("grants", "old", new Note("old", 1), Optional.empty());
        SealedRecords rotated = new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k2"), k1)));

        rotated.write("grants", "new", new Note("new", 2), Optional.empty());

        assertThat(rotated.read("grants", "old", Note.class)).contains(new Note("old", 1));
        assertThat(new String(raw.get("grants", "new").orElseThrow(), StandardCharsets.ISO_8859_1)).contains("k2");
    }

    @Test
    void givenTheKeyOfARecordRemoved_read_findsNoRecord() {
        new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k1")))).write("grants", "g1", new Note("x", 1), Optional.empty());

        SealedRecords withoutK1 = new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k2"))));

        assertThat(withoutK1.read("grants", "g1", Note.class)).isEmpty();
    }

    @Test
    void givenTheVersionRead_replace_succeedsOnce_andAStaleVersionFails() {
        SealedRecords records = new SealedRecords(raw, StoreKeys.parse(List.of(newKey("k1"))));
        records.write("grants", "g1", new Note("gen", 0), Optional.empty());
        SealedRecords.Versioned<Note> read = records.readVersioned("grants", "g1", Note.class).orElseThrow();

        boolean first = records.replace("grants", "g1", Optional.of(read), new Note("gen", 1), Optional.empty());
        boolean stale = records.replace("grants", "g1", Optional.of(read), new Note("gen", 99), Optional.empty());

        assertThat(first).isTrue();
        assertThat(stale).isFalse();
        assertThat(records.read("grants", "g1", Note.class)).contains(new Note("gen", 1));
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

        assertThat(stored).startsWith("k1.").doesNotContain("s3cret");
        assertThat(rotated.matchesMac("client-secret", "s3cret", stored)).isTrue();
        assertThat(rotated.matchesMac("client-secret", "wrong", stored)).isFalse();
        assertThat(rotated.matchesMac("another-purpose", "s3cret", stored)).isFalse();
        assertThat(rotated.toString()).doesNotContain(k1.substring(3));
    }
}
