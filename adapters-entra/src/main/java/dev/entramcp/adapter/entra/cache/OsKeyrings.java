package dev.entramcp.adapter.entra.cache;

import com.microsoft.aad.msal4jextensions.persistence.CacheFileAccessor;
import com.microsoft.aad.msal4jextensions.persistence.ICacheAccessor;
import com.microsoft.aad.msal4jextensions.persistence.linux.KeyRingAccessor;
import com.microsoft.aad.msal4jextensions.persistence.mac.KeyChainAccessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The OS keyrings reached through msal4j-persistence-extension's accessors: the macOS Keychain,
 * libsecret (GNOME Keyring, KWallet) on Linux, and DPAPI on Windows (there the key sits in a file
 * encrypted to the Windows user).
 *
 * <p>Whether a keyring answers is probed <em>once</em> per JVM, catching {@link Throwable}: on a
 * headless Linux box the libsecret accessor throws {@link UnsatisfiedLinkError} (no libsecret) or a
 * bare {@link Error} (no D-Bus session), which must never take the server down.
 *
 * <p>On Linux the probe is skipped when there is no D-Bus session to reach: libsecret talks to the
 * Secret Service over the session bus, and finds it only through {@code DBUS_SESSION_BUS_ADDRESS},
 * the socket {@code $XDG_RUNTIME_DIR/bus}, or X11 autolaunch ({@code DISPLAY}). Without any of
 * them the probe can only fail, after loading JNA and trying the native libraries (some 35 ms of a
 * server's start, measured in bench/README.md); the outcome, "no keyring", is the same.
 */
final class OsKeyrings {

    private static final Logger LOG = LoggerFactory.getLogger(OsKeyrings.class);
    private static final String SERVICE = "dev.entramcp";
    private static final Object PROBE_LOCK = new Object();
    private static Boolean available;

    private OsKeyrings() {
    }

    /**
     * The keyring item holding the key for this cache, if this machine has a keyring that works.
     *
     * @param cacheFile  the cache the key protects (names the item)
     * @param anchorFile an existing file the accessors touch after each write (they insist on one)
     */
    static Optional<KeyringStore> forCache(Path cacheFile, Path anchorFile) {
        synchronized (PROBE_LOCK) {
            if (available == null) {
                available = probe(anchorFile);
            }
            if (!available) {
                return Optional.empty();
            }
        }
        ICacheAccessor accessor = accessorFor(cacheFile, anchorFile, "entra-mcp token cache key " + cacheFile);
        return Optional.of(new AccessorKeyringStore(accessor, description()));
    }

    private static boolean probe(Path anchorFile) {
        Optional<String> noBus = noSessionBus(osName(), System::getenv, Files::exists);
        if (noBus.isPresent()) {
            LOG.info("No usable OS keyring ({})", noBus.get());
            return false;
        }
        try {
            String os = osName();
            if (os.contains("linux")) {
                KeyRingAccessor accessor = (KeyRingAccessor) accessorFor(anchorFile, anchorFile, "entra-mcp keyring probe");
                accessor.verify();
            } else if (os.contains("mac")) {
                accessorFor(anchorFile, anchorFile, "entra-mcp keyring probe").read();
            } else if (os.contains("windows")) {
                Path probeFile = anchorFile.resolveSibling(anchorFile.getFileName() + ".dpapi-probe");
                ICacheAccessor accessor = new CacheFileAccessor(probeFile.toString());
                accessor.write(new byte[] {1, 2, 3});
                boolean roundTrips = java.util.Arrays.equals(new byte[] {1, 2, 3}, accessor.read());
                accessor.delete();
                if (!roundTrips) {
                    throw new IllegalStateException("DPAPI did not round-trip");
                }
            } else {
                LOG.info("No OS keyring is supported on {}", os);
                return false;
            }
            LOG.debug("OS keyring available: {}", description());
            return true;
        } catch (Throwable unavailable) {
            // UnsatisfiedLinkError, java.lang.Error (GError without D-Bus), KeyRingAccessException...
            LOG.info("No usable OS keyring ({}: {})", unavailable.getClass().getSimpleName(), firstLine(unavailable.getMessage()));
            return false;
        }
    }

    /**
     * Why libsecret cannot reach a Secret Service on this Linux machine, or empty when it might (and
     * on other systems, which have no D-Bus to look for).
     */
    static Optional<String> noSessionBus(String os, Function<String, String> environment, Predicate<Path> exists) {
        if (!os.contains("linux")) {
            return Optional.empty();
        }
        if (isSet(environment.apply("DBUS_SESSION_BUS_ADDRESS")) || isSet(environment.apply("DISPLAY"))) {
            return Optional.empty();
        }
        String runtimeDir = environment.apply("XDG_RUNTIME_DIR");
        if (isSet(runtimeDir) && exists.test(Path.of(runtimeDir, "bus"))) {
            return Optional.empty();
        }
        return Optional.of("no D-Bus session: DBUS_SESSION_BUS_ADDRESS and DISPLAY are unset and there is no $XDG_RUNTIME_DIR/bus");
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static ICacheAccessor accessorFor(Path cacheFile, Path anchorFile, String label) {
        String os = osName();
        if (os.contains("linux")) {
            return new KeyRingAccessor(anchorFile.toString(), "default", SERVICE + ".tokencache", label,
                    "application", SERVICE, "cache", cacheFile.toString());
        }
        if (os.contains("mac")) {
            return new KeyChainAccessor(anchorFile.toString(), SERVICE, "token-cache-key:" + cacheFile);
        }
        return new CacheFileAccessor(cacheFile.resolveSibling(cacheFile.getFileName() + ".key.dpapi").toString());
    }

    private static String description() {
        String os = osName();
        if (os.contains("linux")) {
            return "the Linux Secret Service keyring (libsecret)";
        }
        if (os.contains("mac")) {
            return "the macOS Keychain";
        }
        return "a DPAPI-protected file (Windows user)";
    }

    private static String osName() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private record AccessorKeyringStore(ICacheAccessor accessor, String description) implements KeyringStore {
        @Override
        public Optional<byte[]> read() {
            byte[] data = accessor.read();
            return data == null || data.length == 0 ? Optional.empty() : Optional.of(data);
        }

        @Override
        public void write(byte[] secret) {
            accessor.write(secret);
        }
    }
}
