package dev.entramcp.adapter.entra.cache;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the key that encrypts the token cache comes from. The key is always kept apart from the
 * cache file: what differs is how far apart, and who else can reach it.
 */
public enum CacheKeyPolicy {

    /**
     * The environment variable if it is set; otherwise the OS keyring (macOS Keychain, libsecret on
     * Linux, DPAPI on Windows) if one answers; otherwise an owner-only key file, with a warning.
     */
    AUTO("auto"),
    /** The OS keyring only; fails if none is available. */
    KEYRING("keyring"),
    /** A base64-encoded 256-bit key from an environment variable (CI, containers, secret managers). */
    ENVIRONMENT("env"),
    /** A key file readable by its owner only (0600), created on first use, refused if looser. */
    KEY_FILE("file");

    private final String configName;

    CacheKeyPolicy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** Parses a configuration value; the error lists the accepted ones. */
    public static CacheKeyPolicy parse(String value) {
        String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (normalized) {
            case "auto" -> AUTO;
            case "keyring" -> KEYRING;
            case "env" -> ENVIRONMENT;
            case "file" -> KEY_FILE;
            default -> throw new IllegalArgumentException("Unknown token cache key policy '" + value + "': use one of "
                    + Arrays.stream(values()).map(CacheKeyPolicy::configName).collect(Collectors.joining(", ")));
        };
    }
}
