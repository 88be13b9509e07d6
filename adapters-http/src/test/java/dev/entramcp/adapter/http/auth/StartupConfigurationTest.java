package dev.entramcp.adapter.http.auth;

import dev.entramcp.adapter.http.support.JwksServer;
import dev.entramcp.adapter.http.support.TestTokens;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The application refuses to start, and says what to set, when its authentication cannot be right. */
class StartupConfigurationTest {

    @Test
    void givenNoAuthConfiguration_start_failsNamingTheKeysToSet() {
        assertThatThrownBy(() -> ApplicationContext.run(Map.of("micronaut.server.port", "-1")).close()).satisfies(failure -> assertThat(messages(failure))
                .contains("entramcp.auth.tenant-id is not set")
                .contains("entramcp.auth.client-id is not set")
                .contains("entramcp.http.public-base-url is not set"));
    }

    @Test
    void givenTheSecurityFilterDisabled_start_failsRatherThanServingUnauthenticated() throws Exception {
        try (JwksServer jwks = JwksServer.serving(TestTokens.publicSet(TestTokens.TENANT_KEY))) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("entramcp.auth.tenant-id", TestTokens.TENANT);
            properties.put("entramcp.auth.client-id", TestTokens.API_CLIENT_ID);
            properties.put("entramcp.auth.authority-host", jwks.baseUrl());
            properties.put("entramcp.http.public-base-url", "https://mcp.example.test");
            properties.put("entramcp.auth.scopes", "User.Read,Mail.Send");
            properties.put("micronaut.security.filter.enabled", "false");

            assertThatThrownBy(() -> ApplicationContext.run(properties).close()).satisfies(failure -> assertThat(messages(failure)).contains("micronaut-security's filter is disabled"));
        }
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
