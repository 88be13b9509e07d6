package dev.entramcp.app.remote;

import dev.entramcp.adapter.entra.ClientCredentialConfig;
import dev.entramcp.emulator.AppRegistration;
import dev.entramcp.emulator.EntraEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The demo's configuration: the server set up against the emulator exactly as against a tenant. */
class DemoSetupTest {

    private static EntraEmulator emulator;

    @BeforeAll
    static void startEmulator() {
        emulator = EntraEmulator.builder().build().start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    private static Properties systemProperty(String value) {
        Properties properties = new Properties();
        properties.setProperty("micronaut.server.port", value);
        return properties;
    }

    @Test
    void givenTheEmulator_of_configuresTheServerAsForARealTenantOnThatPort() {
        AppRegistration api = emulator.apps().remote();

        Map<String, Object> properties = DemoSetup.of(emulator, 18_080).properties();

        assertThat(properties)
                .containsEntry("micronaut.server.port", 18_080)
                .containsEntry("entramcp.http.public-base-url", "http://localhost:18080")
                .containsEntry("entramcp.auth.tenant-id", emulator.tenantId())
                .containsEntry("entramcp.auth.client-id", api.clientId())
                .containsEntry("entramcp.auth.app-id-uri", api.appIdUri())
                .containsEntry("entramcp.auth.authority-host", emulator.baseUrl().toString())
                .containsEntry("entramcp.auth.jwks-trust-pem", emulator.trustPem().toString())
                .containsEntry("entramcp.graph.base-url", emulator.graphBaseUrl().toString())
                .containsEntry("entramcp.entra.credential", "secret");
    }

    @Test
    void givenTheEmulator_of_servesPlainHttpOnLoopbackOnly() {
        Map<String, Object> properties = DemoSetup.of(emulator, 18_080).properties();

        assertThat(properties)
                .containsEntry("micronaut.server.host", "localhost")
                .containsEntry("micronaut.server.ssl.enabled", false);
    }

    @Test
    void givenTheEmulatorsGeneratedSecret_of_keepsItOutOfThePropertiesAndHandsItOnlyToTheCredential() {
        String secret = emulator.apps().remote().clientSecret();

        DemoSetup demo = DemoSetup.of(emulator, 18_080);

        assertThat(demo.properties().values()).allSatisfy(value -> assertThat(String.valueOf(value)).doesNotContain(secret));
        assertThat(demo.credentials().lookup().apply(ClientCredentialConfig.CLIENT_SECRET)).isEqualTo(secret);
        assertThat(demo.credentials().toString()).doesNotContain(secret);
    }

    @Test
    void givenTheRunningDemo_banner_saysItIsADemoAndHowToCallAToolWithoutTheSecret() {
        String banner = DemoSetup.banner(emulator, "http://localhost:18080/", "bob");

        assertThat(banner)
                .contains("DEMO MODE", "EMULATOR", "not Microsoft Entra ID", "approved automatically as: bob")
                .contains("http://localhost:18080/mcp", "http://localhost:18080/.well-known/oauth-protected-resource/mcp")
                .contains("dev.entramcp.app.remote.DemoClient http://localhost:18080 --client-id "
                        + emulator.apps().demo().clientId() + " --cacert " + emulator.trustPem())
                .doesNotContain(emulator.apps().remote().clientSecret());
    }

    @Test
    void givenNoPortAnywhere_port_isMicronautsDefault() {
        assertThat(DemoSetup.port(List.of(), new Properties(), Map.of())).isEqualTo(8080);
    }

    @Test
    void givenAPortInEverySource_port_takesTheCommandLineFirstAsMicronautDoes() {
        assertThat(DemoSetup.port(List.of("-micronaut.server.port=9001"), systemProperty("9002"),
                Map.of("MICRONAUT_SERVER_PORT", "9003"))).isEqualTo(9001);
        assertThat(DemoSetup.port(List.of("--micronaut.server.port=9004"), systemProperty("9002"), Map.of())).isEqualTo(9004);
        assertThat(DemoSetup.port(List.of(), systemProperty("9002"), Map.of("MICRONAUT_SERVER_PORT", "9003"))).isEqualTo(9002);
        assertThat(DemoSetup.port(List.of(), new Properties(), Map.of("MICRONAUT_SERVER_PORT", " 9003 "))).isEqualTo(9003);
    }

    @Test
    void givenMicronautsAnyFreePort_port_picksAFreeLoopbackPortNowSoThatPrmCanNameIt() throws IOException {
        int chosen = DemoSetup.port(List.of("-micronaut.server.port=-1"), new Properties(), Map.of());
        int alsoChosen = DemoSetup.port(List.of("-micronaut.server.port=0"), new Properties(), Map.of());

        assertThat(chosen).isBetween(1, 65_535);
        assertThat(alsoChosen).isBetween(1, 65_535);
        try (ServerSocket stillFree = new ServerSocket(chosen, 1, InetAddress.getLoopbackAddress())) {
            assertThat(stillFree.getLocalPort()).isEqualTo(chosen);
        }
    }

    @Test
    void givenAPortThatIsNoPort_port_failsBeforeAnythingStartsNamingTheValue() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> DemoSetup.port(List.of("-micronaut.server.port=eighty"), new Properties(), Map.of()))
                .withMessage("the port must be a number from 1 to 65535 (or 0 or -1 for any free port); got 'eighty'");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> DemoSetup.port(List.of(), new Properties(), Map.of("MICRONAUT_SERVER_PORT", "70000")))
                .withMessageEndingWith("got '70000'");
    }

    @Test
    void givenZeroOrMinusOne_wantsAnyPort_isTrueSoAStartThatLosesThePortRace_choosesAgain() {
        assertThat(DemoSetup.wantsAnyPort(List.of("-micronaut.server.port=0"), new Properties(), Map.of())).isTrue();
        assertThat(DemoSetup.wantsAnyPort(List.of(), new Properties(), Map.of("MICRONAUT_SERVER_PORT", "-1"))).isTrue();
        assertThat(DemoSetup.wantsAnyPort(List.of(), new Properties(), Map.of())).isFalse();
        assertThat(DemoSetup.wantsAnyPort(List.of("-micronaut.server.port=9001"), new Properties(), Map.of())).isFalse();
    }
}
