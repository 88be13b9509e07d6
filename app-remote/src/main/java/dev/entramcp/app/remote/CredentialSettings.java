package dev.entramcp.app.remote;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where the confidential client's credential settings are read from ({@code AZURE_CLIENT_SECRET},
 * {@code AZURE_CLIENT_CERTIFICATE_PATH}, {@code AZURE_FEDERATED_TOKEN_FILE}, ...): the environment,
 * or in demo mode the emulator's generated secret, kept in memory and never in a property source.
 */
public record CredentialSettings(Function<String, String> lookup) {

    public CredentialSettings {
        Objects.requireNonNull(lookup, "'lookup' must not be null");
    }

    public static CredentialSettings environment() {
        return new CredentialSettings(System::getenv);
    }

    /** These values first, then the environment. */
    public static CredentialSettings overriding(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return new CredentialSettings(name -> copy.containsKey(name) ? copy.get(name) : System.getenv(name));
    }

    @Override
    public String toString() {
        return "CredentialSettings[***]";
    }
}
