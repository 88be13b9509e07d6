package dev.entramcp.adapter.entra.cache;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CacheCipherTest {

    private final CacheCipher cipher = new CacheCipher(CacheKeys.aesKey(CacheKeys.newKeyBytes()));

    @Test
    void givenSealedContent_open_returnsIt() throws Exception {
        byte[] sealed = cipher.seal("{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(cipher.open(sealed), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void givenTheSameContentTwice_seal_usesAFreshNonceEachTime() {
        byte[] first = cipher.seal(new byte[] {1, 2, 3});
        byte[] second = cipher.seal(new byte[] {1, 2, 3});

        assertThat(first).isNotEqualTo(second);
        assertThat(first).startsWith('E', 'M', 'C', 'C', 1);
    }

    @Test
    void givenAnyFlippedByte_open_refusesTheContent() throws Exception {
        byte[] sealed = cipher.seal("tokens".getBytes(StandardCharsets.UTF_8));
        for (int i = 5; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x40;

            assertThatExceptionOfType(CacheCipher.UnreadableCacheException.class).isThrownBy(() -> cipher.open(tampered));
        }
    }

    @Test
    void givenAnotherVersionOrFormat_open_saysSo() {
        byte[] sealed = cipher.seal("tokens".getBytes(StandardCharsets.UTF_8));
        byte[] otherVersion = sealed.clone();
        otherVersion[4] = 2;

        assertThatExceptionOfType(CacheCipher.UnreadableCacheException.class)
                .isThrownBy(() -> cipher.open(otherVersion)).withMessageContaining("format version 2");
        assertThatExceptionOfType(CacheCipher.UnreadableCacheException.class)
                .isThrownBy(() -> cipher.open("{\"plain\":\"json\"}".getBytes(StandardCharsets.UTF_8)))
                .withMessageContaining("unknown header");
    }

    @Test
    void givenAnotherKey_open_refusesTheContent() {
        byte[] sealed = cipher.seal("tokens".getBytes(StandardCharsets.UTF_8));
        CacheCipher other = new CacheCipher(CacheKeys.aesKey(CacheKeys.newKeyBytes()));

        assertThatExceptionOfType(CacheCipher.UnreadableCacheException.class)
                .isThrownBy(() -> other.open(sealed)).withMessageContaining("another key");
    }
}
