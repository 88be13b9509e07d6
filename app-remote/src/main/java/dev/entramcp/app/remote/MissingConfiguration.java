package dev.entramcp.app.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The settings a non-demo run cannot start without, checked before anything starts so that the
 * message names the environment variables a person sets, not Micronaut's property keys. Each may
 * be given as the environment variable or as the property.
 */
final class MissingConfiguration {

    private static final List<String[]> REQUIRED = List.of(
            new String[]{"AZURE_TENANT_ID", "entramcp.auth.tenant-id", "ENTRAMCP_AUTH_TENANT_ID"},
            new String[]{"AZURE_CLIENT_ID", "entramcp.auth.client-id", "ENTRAMCP_AUTH_CLIENT_ID"},
            new String[]{"ENTRA_MCP_PUBLIC_BASE_URL", "entramcp.http.public-base-url", "ENTRAMCP_HTTP_PUBLIC_BASE_URL"});

    private MissingConfiguration() {
    }

    static List<String> find(Map<String, String> env, Properties properties) {
        List<String> missing = new ArrayList<>();
        for (String[] names : REQUIRED) {
            boolean present = isSet(env.get(names[0])) || isSet(properties.getProperty(names[1])) || isSet(env.get(names[2]));
            if (!present) {
                missing.add(names[0]);
            }
        }
        return missing;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
