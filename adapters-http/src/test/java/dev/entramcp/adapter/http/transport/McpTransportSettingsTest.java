package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.auth.AuthProperties;
import dev.entramcp.adapter.http.auth.AuthSettings;
import dev.entramcp.adapter.http.support.TestTokens;
import dev.entramcp.domain.tool.SendMailTool;
import dev.entramcp.domain.tool.ToolCatalog;
import dev.entramcp.domain.tool.WhoAmITool;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class McpTransportSettingsTest {

    private static final AuthSettings AUTH_SETTINGS = authSettings();

    private static AuthSettings authSettings() {
        AuthProperties properties = new AuthProperties();
        properties.setTenantId(TestTokens.TENANT);
        properties.setClientId(TestTokens.API_CLIENT_ID);
        return AuthSettings.from(properties, "https://mcp.example.test");
    }

    @Test
    void givenTheDefaults_from_givesAStatefulServerWithLegacySseAndA1MiBLimit() {
        McpTransportSettings settings = McpTransportSettings.from(new McpHttpProperties(), Duration.ofMinutes(5));

        assertThat(settings.mode()).isEqualTo(TransportMode.STATEFUL);
        assertThat(settings.legacySseEnabled()).isTrue();
        assertThat(settings.maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(settings.allowedHosts()).containsExactly("localhost", "127.0.0.1", "[::1]");
        assertThat(settings.allowedOrigins()).isEmpty();
        assertThat(settings.keepAliveInterval()).isLessThan(settings.sessionIdleTimeout());
        assertThat(settings.maxSessionsPerPrincipal()).isEqualTo(32);
    }

    @Test
    void givenNoSessionsPerPrincipal_from_refusesIt() {
        McpHttpProperties properties = new McpHttpProperties();
        properties.setMaxSessionsPerPrincipal(0);

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> McpTransportSettings.from(properties, null))
                .withMessageContaining("entramcp.mcp.max-sessions-per-principal must be at least 1 (default 32)");
    }

    @Test
    void givenAnUnknownMode_from_listsTheAllowedValues() {
        McpHttpProperties properties = new McpHttpProperties();
        properties.setMode("Stateless");

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> McpTransportSettings.from(properties, null))
                .withMessageContaining("entramcp.mcp.mode must be one of stateful, stateless, but was 'Stateless'");
    }

    @Test
    void givenSeveralMistakes_from_reportsThemAllSayingWhatToSet() {
        McpHttpProperties properties = new McpHttpProperties();
        properties.setMaxBodyBytes(0);
        properties.setKeepAliveInterval(Duration.ofMinutes(10));
        properties.setAllowedOrigins(List.of("*"));
        properties.getRateLimit().setBurst(0);

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> McpTransportSettings.from(properties, Duration.ofMinutes(5)))
                .withMessageContaining("entramcp.mcp.max-body-bytes must be a positive number of bytes")
                .withMessageContaining("entramcp.mcp.allowed-origins entry '*'")
                .withMessageContaining("keep-alive-interval (PT10M) must be shorter than the HTTP server's idle timeouts")
                .withMessageContaining("entramcp.mcp.rate-limit.burst must be at least 1");
    }

    @Test
    void givenAKeepAliveNotShorterThanTheSessionIdleTimeout_from_refusesIt() {
        McpHttpProperties properties = new McpHttpProperties();
        properties.setSessionIdleTimeout(Duration.ofSeconds(30));
        properties.setKeepAliveInterval(Duration.ofSeconds(30));

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> McpTransportSettings.from(properties, null))
                .withMessageContaining("must be shorter than entramcp.mcp.session-idle-timeout");
    }

    @Test
    void givenNoAllowedHosts_from_acceptsItBecauseThePublicBaseUrlsHostIsAlwaysAllowed() {
        McpHttpProperties properties = new McpHttpProperties();
        properties.setAllowedHosts(List.of());

        McpTransportSettings settings = McpTransportSettings.from(properties, null);

        assertThat(settings.allowedHosts()).isEmpty();
        assertThat(new McpTransportFactory().originHostPolicy(settings, AUTH_SETTINGS).isHostAllowed("mcp.example.test"))
                .isTrue();
    }

    @Test
    void givenAToolRequiringAScopeTheApiDoesNotDeclare_theToolBridge_refusesToStartNamingTheScopeAndTheKey() {
        ToolCatalog catalog = ToolCatalog.of(new WhoAmITool(), new SendMailTool((caller, message) -> { }));

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> McpTransportFactory.requireDeclaredScopes(catalog, AUTH_SETTINGS))
                .withMessageContaining("the tools require the scopes [Mail.Send] which entramcp.auth.scopes [User.Read] "
                        + "does not list");
    }
}
