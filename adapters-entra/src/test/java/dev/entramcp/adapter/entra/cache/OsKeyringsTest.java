package dev.entramcp.adapter.entra.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The real keyring probe on whatever machine runs the tests. On a headless Linux box (CI, this
 * project's machines) libsecret or D-Bus is missing and the accessor throws an {@link Error}; the
 * probe must turn that into "no keyring", not a crash. On a desktop it may find one.
 */
class OsKeyringsTest {

    @TempDir
    Path dir;

    @Test
    void givenThisMachine_probingTheKeyring_neverThrowsAndAnswersTheSameTwice() throws Exception {
        Path anchor = Files.createFile(dir.resolve("msal.cache.lock"));

        assertThatCode(() -> OsKeyrings.forCache(dir.resolve("msal.cache"), anchor)).doesNotThrowAnyException();
        Optional<KeyringStore> first = OsKeyrings.forCache(dir.resolve("msal.cache"), anchor);
        Optional<KeyringStore> second = OsKeyrings.forCache(dir.resolve("msal.cache"), anchor);

        assertThat(second.isPresent()).isEqualTo(first.isPresent());
    }
}
