package dev.entramcp.adapter.http.facade;

import dev.entramcp.adapter.http.auth.SigningKeys;
import dev.entramcp.adapter.http.facade.store.InMemoryRecordStore;
import dev.entramcp.adapter.http.facade.store.SealedRecords;
import dev.entramcp.adapter.http.facade.store.StoreKeys;
import dev.entramcp.adapter.http.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The facade's signing keys: kept sealed, the same after a reopen, rotated with a grace period, never lost silently. */
class SigningKeyringTest {

    private static final Duration ROTATION = Duration.ofDays(30);
    private static final Duration RETENTION = Duration.ofMinutes(6);

    private final MutableClock clock = MutableClock.atNow();
    private final InMemoryRecordStore store = new InMemoryRecordStore(clock);
    private final StoreKeys keys = StoreKeys.parse(List.of(key("k1")));

    private static String key(String kid) {
        byte[] material = new byte[32];
        new SecureRandom().nextBytes(material);
        return kid + ":" + Base64.getEncoder().encodeToString(material);
    }

    private SigningKeyring open(StoreKeys with) {
        return SigningKeyring.open(new SealedRecords(store, with, clock), clock, ROTATION, RETENTION);
    }

    @Test
    void givenAStoredKeyring_reopeningIt_signsWithTheSameKey_andNeverStoresItInTheClear() {
        SigningKeyring first = open(keys);

        SigningKeyring second = open(keys);

        assertThat(second.current().getKeyID()).isEqualTo(first.current().getKeyID());
        String stored = new String(store.get(SigningKeyring.NAMESPACE, SigningKeyring.KEY).orElseThrow(), StandardCharsets.ISO_8859_1);
        assertThat(stored).doesNotContain(first.current().getPrivateExponent().toString()).doesNotContain("\"d\"");
        assertThat(first.publicKeys().getKeys()).allSatisfy(jwk -> assertThat(jwk.isPrivate()).isFalse());
    }

    @Test
    void givenTheRotationPeriodPassed_rotateIfDue_signsWithANewKey_andStillAcceptsTheOldOneUntilItsTokensExpire() {
        SigningKeyring keyring = open(keys);
        String old = keyring.current().getKeyID();
        SigningKeys verification = keyring.verificationKeys();

        clock.advance(ROTATION);
        boolean rotated = keyring.rotateIfDue();

        assertThat(rotated).isTrue();
        assertThat(keyring.current().getKeyID()).isNotEqualTo(old);
        assertThat(verification.find(old)).isInstanceOf(SigningKeys.Lookup.Found.class);
        clock.advance(RETENTION);
        keyring.rotateIfDue();
        assertThat(verification.find(old)).isEqualTo(SigningKeys.Lookup.Missing.UNKNOWN_KEY);
        assertThat(verification.find(keyring.current().getKeyID())).isInstanceOf(SigningKeys.Lookup.Found.class);
    }

    @Test
    void givenAKeyringSealedWithAKeyNoLongerConfigured_open_refusesToStartRatherThanMakeANewKey() {
        open(keys);

        assertThatExceptionOfType(SealedRecords.UnreadableRecordException.class)
                .isThrownBy(() -> open(StoreKeys.parse(List.of(key("other")))));
    }
}
