package dev.entramcp.adapter.http.transport;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class OriginHostPolicyTest {

    private final OriginHostPolicy policy = new OriginHostPolicy(
            List.of("https://app.example.com", "http://localhost:*"),
            List.of("mcp.example.com", "localhost", "[::1]", "api.example.com:8443"));

    @Test
    void givenAWildcardPortOrigin_isOriginAllowed_admitsAnyPortOfThatHostOnly() {
        assertThat(policy.isOriginAllowed("http://localhost:5173")).isTrue();
        assertThat(policy.isOriginAllowed("http://localhost")).isTrue();
        assertThat(policy.isOriginAllowed("http://localhost.attacker.example")).isFalse();
        assertThat(policy.isOriginAllowed("http://localhost.attacker.example:5173")).isFalse();
        assertThat(policy.isOriginAllowed("https://localhost:5173")).isFalse();
    }

    @Test
    void givenAnExactOrigin_isOriginAllowed_comparesSchemeHostAndDefaultPort() {
        assertThat(policy.isOriginAllowed("https://app.example.com")).isTrue();
        assertThat(policy.isOriginAllowed("https://APP.example.com:443")).isTrue();
        assertThat(policy.isOriginAllowed("https://app.example.com:8443")).isFalse();
        assertThat(policy.isOriginAllowed("http://app.example.com")).isFalse();
        assertThat(policy.isOriginAllowed("https://app.example.com.attacker.example")).isFalse();
    }

    @Test
    void givenNoOriginOrTheNullOrigin_isOriginAllowed_admitsNonBrowsersAndRefusesOpaqueOrigins() {
        assertThat(policy.isOriginAllowed(null)).isTrue();
        assertThat(policy.isOriginAllowed("null")).isFalse();
        assertThat(policy.isOriginAllowed("https://app.example.com/path")).isFalse();
    }

    @Test
    void givenHostEntries_isHostAllowed_matchesNamesExactlyAndPortsWhenNamed() {
        assertThat(policy.isHostAllowed("mcp.example.com")).isTrue();
        assertThat(policy.isHostAllowed("mcp.example.com:443")).isTrue();
        assertThat(policy.isHostAllowed("localhost:8080")).isTrue();
        assertThat(policy.isHostAllowed("[::1]:8080")).isTrue();
        assertThat(policy.isHostAllowed("api.example.com:8443")).isTrue();
        assertThat(policy.isHostAllowed("api.example.com:443")).isFalse();
        assertThat(policy.isHostAllowed("localhost.attacker.example")).isFalse();
        assertThat(policy.isHostAllowed("mcp.example.com.attacker.example")).isFalse();
        assertThat(policy.isHostAllowed("evil.example")).isFalse();
        assertThat(policy.isHostAllowed(null)).isFalse();
        assertThat(policy.isHostAllowed("localhost:80:80")).isFalse();
    }

    @Test
    void givenMalformedEntries_validate_namesEachOneAndWhatToSet() {
        List<String> problems = new ArrayList<>();

        OriginHostPolicy.validate(List.of("*", "null", "app.example.com"), List.of("bad host!"), problems);

        assertThat(problems).hasSize(4);
        assertThat(problems.get(0)).startsWith("entramcp.mcp.allowed-origins entry '*' is not an origin");
        assertThat(problems.get(3)).startsWith("entramcp.mcp.allowed-hosts entry 'bad host!' is not a host");
    }

    @Test
    void givenNoAllowedHosts_constructor_refusesToDisableTheGuard() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new OriginHostPolicy(List.of(), List.of()))
                .withMessageContaining("the Host allow-list must not be empty");
    }
}
