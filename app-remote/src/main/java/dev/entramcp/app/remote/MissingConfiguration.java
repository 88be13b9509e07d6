package dev.entramcp.app.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The settings a non-demo run cannot start without, checked before anything starts so that the
 * message names the environment variables a person sets, not Micronaut's property keys. Each may
 * be given as the environment variable, as Micronaut's environment variable, as the system
 * property or as a command-line argument ({@code -entramcp.auth.tenant-id=...}). Values are
 * checked only for presence here; what they must look like is checked at start-up, with every
 * other {@code entramcp.*} setting.
 *
 * <p>Configuration files named by {@code micronaut.config.files} ({@code MICRONAUT_CONFIG_FILES})
 * cannot be read before Micronaut starts; when some are named, this check stands aside and the
 * start-up validation, which sees them, reports whatever is missing by its property key.
 */
final class MissingConfiguration {

    private static final List<String[]> REQUIRED = List.of(
            new String[]{"AZURE_TENANT_ID", "entramcp.auth.tenant-id", "ENTRAMCP_AUTH_TENANT_ID"},
            new String[]{"AZURE_CLIENT_ID", "entramcp.auth.client-id", "ENTRAMCP_AUTH_CLIENT_ID"},
            new String[]{"ENTRA_MCP_PUBLIC_BASE_URL", "entramcp.http.public-base-url", "ENTRAMCP_HTTP_PUBLIC_BASE_URL"});

    private static final String CONFIG_FILES = "micronaut.config.files";

    private MissingConfiguration() {
    }

    /** The environment variables to set, in a fixed order; empty when nothing is missing. */
    static List<String> find(Map<String, String> env, Properties properties, List<String> arguments) {
        List<String> missing = new ArrayList<>();
        if (isSet(env.get("MICRONAUT_CONFIG_FILES")) || isSet(properties.getProperty(CONFIG_FILES))
                || isSet(argument(arguments, CONFIG_FILES))) {
            return missing;
        }
        for (String[] names : REQUIRED) {
            boolean present = isSet(env.get(names[0])) || isSet(properties.getProperty(names[1])) || isSet(env.get(names[2]))
                    || isSet(argument(arguments, names[1]));
            if (!present) {
                missing.add(names[0]);
            }
        }
        return missing;
    }

    /** The value of {@code -key=value} or {@code --key=value}, the last one winning, as Micronaut reads it. */
    private static String argument(List<String> arguments, String key) {
        String value = null;
        for (String argument : arguments) {
            for (String prefix : List.of("-" + key + "=", "--" + key + "=")) {
                if (argument.startsWith(prefix)) {
                    value = argument.substring(prefix.length());
                }
            }
        }
        return value;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
