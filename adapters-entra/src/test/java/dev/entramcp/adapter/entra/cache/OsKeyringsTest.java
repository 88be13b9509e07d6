package dev.entramcp.adapter.entra.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    @Test
    void givenLinuxWithoutAnyWayToASessionBus_theProbe_isSkippedSayingWhy() {
        Optional<String> reason = OsKeyrings.noSessionBus("linux", name -> null, path -> false);

        assertThat(reason).hasValueSatisfying(why -> assertThat(why).contains("no D-Bus session"));
    }

    @Test
    void givenASessionBusAddressOrADisplay_theProbe_runs() {
        assertThat(OsKeyrings.noSessionBus("linux", Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus")::get,
                path -> false)).isEmpty();
        assertThat(OsKeyrings.noSessionBus("linux", Map.of("DISPLAY", ":0")::get, path -> false)).isEmpty();
    }

    @Test
    void givenOnlyTheRuntimeDirectory_theProbe_runsOnlyIfItsBusSocketExists() {
        Map<String, String> environment = Map.of("XDG_RUNTIME_DIR", "/run/user/1000");

        assertThat(OsKeyrings.noSessionBus("linux", environment::get, Path.of("/run/user/1000/bus")::equals)).isEmpty();
        assertThat(OsKeyrings.noSessionBus("linux", environment::get, path -> false)).isPresent();
    }

    @Test
    void givenAnotherSystem_theProbe_isNeverSkippedForWantOfDbus() {
        assertThat(OsKeyrings.noSessionBus("mac os x", name -> null, path -> false)).isEmpty();
        assertThat(OsKeyrings.noSessionBus("windows 11", name -> null, path -> false)).isEmpty();
    }
}
