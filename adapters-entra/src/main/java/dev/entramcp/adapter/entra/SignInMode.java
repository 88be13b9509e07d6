package dev.entramcp.adapter.entra;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the public client brings the person to the sign-in page when the cache cannot help. */
public enum SignInMode {

    /** The system browser where one can be opened (a desktop session), device code otherwise. */
    AUTO("auto"),
    /** Always the system browser with a loopback redirect (authorization code + PKCE). */
    BROWSER("browser"),
    /** Always the device code flow: a URL and a code to enter on any device. */
    DEVICE_CODE("device-code");

    private final String configName;

    SignInMode(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** Parses a configuration value; the error lists the accepted ones. */
    public static SignInMode parse(String value) {
        String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (normalized) {
            case "auto" -> AUTO;
            case "browser" -> BROWSER;
            case "device-code" -> DEVICE_CODE;
            default -> throw new IllegalArgumentException("Unknown sign-in mode '" + value + "': use one of "
                    + Arrays.stream(values()).map(SignInMode::configName).collect(Collectors.joining(", ")));
        };
    }
}
