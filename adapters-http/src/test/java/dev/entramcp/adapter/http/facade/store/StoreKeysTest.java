package dev.entramcp.adapter.http.facade.store;

import dev.entramcp.adapter.http.support.MutableClock;
import org.junit.jupiter.api.Test;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The store keys derive one key per use with HKDF (security review, finding 7): the configured key
 * never seals a record nor keys a secret hash itself, and what older versions wrote still opens.
 */
class StoreKeysTest {

    record Note(String text) {
    }

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static String entry(String kid, byte[] key) {
        return kid + ":" + Base64.getEncoder().encodeToString(key);
    }

    @Test
    void givenTheRfc5869TestVectors_hkdf_derivesTheirOutput() {
        byte[] first = StoreKeys.hkdf(HEX.parseHex("0b".repeat(22)), HEX.parseHex("000102030405060708090a0b0c"),
                HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
        byte[] third = StoreKeys.hkdf(HEX.parseHex("0b".repeat(22)), new byte[0], new byte[0], 42);

        assertThat(HEX.formatHex(first))
                .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
        assertThat(HEX.formatHex(third))
                .isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    @Test
    void givenASealedRecord_itOpensWithTheHkdfDerivedKey_andNotWithTheConfiguredKeyItself() throws Exception {
        byte[] configured = randomKey();
        InMemoryRecordStore raw = new InMemoryRecordStore(MutableClock.atNow());
        new SealedRecords(raw, StoreKeys.parse(List.of(entry("k1", configured))), MutableClock.atNow())
                .write("grants", "g1", new Note("hello"), Optional.empty());
        byte[] sealed = raw.get("grants", "g1").orElseThrow();
        int headerLength = 4 + 1 + 2 + 8;
        byte[] nonce = Arrays.copyOfRange(sealed, headerLength, headerLength + 12);
        byte[] ciphertext = Arrays.copyOfRange(sealed, headerLength + 12, sealed.length);
        byte[] associatedData = "entramcp-facade-store/v2|grants|g1|k1|none".getBytes(StandardCharsets.UTF_8);
        byte[] derived = StoreKeys.hkdf(configured, new byte[0],
                "entramcp-facade-store/v2 record encryption".getBytes(StandardCharsets.UTF_8), 32);

        assertThat(new String(decrypt(derived, nonce, associatedData, ciphertext), StandardCharsets.UTF_8)).contains("hello");
        assertThatExceptionOfType(AEADBadTagException.class)
                .isThrownBy(() -> decrypt(configured, nonce, associatedData, ciphertext));
    }

    @Test
    void givenASecret_mac_isAnHmacUnderAnHkdfDerivedKey_notUnderTheConfiguredKey() throws Exception {
        byte[] configured = randomKey();
        StoreKeys keys = StoreKeys.parse(List.of(entry("k1", configured)));

        String stored = keys.mac("client-secret", "s3cret");

        byte[] macKey = StoreKeys.hkdf(configured, new byte[0],
                "entramcp-facade-store/v2 mac client-secret".getBytes(StandardCharsets.UTF_8), 32);
        assertThat(stored).isEqualTo("v2$k1$" + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(macKey, "s3cret")));
        assertThat(keys.matchesMac("client-secret", "s3cret", stored)).isTrue();
        assertThat(keys.matchesMac("client-secret", "other", stored)).isFalse();
    }

    @Test
    void givenASecretHashWrittenBeforeHkdf_matchesMac_stillRecognisesIt_evenUnderAKeyIdWithADot() throws Exception {
        byte[] configured = randomKey();
        byte[] oldMacKey = hmac(configured, "entramcp-facade client-secret");
        String legacy = "k.1." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(oldMacKey, "s3cret"));
        StoreKeys keys = StoreKeys.parse(List.of(entry("k.2", randomKey()), entry("k.1", configured)));

        assertThat(keys.matchesMac("client-secret", "s3cret", legacy)).isTrue();
        assertThat(keys.matchesMac("client-secret", "wrong", legacy)).isFalse();
        assertThat(keys.matchesMac("client-secret", "s3cret", keys.mac("client-secret", "s3cret"))).isTrue();
    }

    private static byte[] decrypt(byte[] key, byte[] nonce, byte[] associatedData, byte[] ciphertext) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(associatedData);
        return cipher.doFinal(ciphertext);
    }

    private static byte[] hmac(byte[] key, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    }
}
