package dev.entramcp.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever clients do, the emulator answers precisely and stays healthy. */
class ServerRobustnessTest {

    private static EntraEmulator emu;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        emu = EntraEmulator.start();
        http = new TestHttp(emu);
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @Test
    void givenIdleTlsConnections_likeABrowsersPreconnects_requestsAreStillServed() throws Exception {
        List<SSLSocket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                SSLSocket socket = (SSLSocket) emu.sslContext().getSocketFactory().createSocket("localhost", emu.port());
                socket.startHandshake();
                idle.add(socket);
            }

            TestHttp.Response response = http.get(emu.jwksUri().toString());

            assertThat(response.status()).isEqualTo(200);
        } finally {
            for (SSLSocket socket : idle) {
                socket.close();
            }
        }
    }

    @Test
    void givenAnOversizedForm_tokenEndpoint_answers413WithoutAStackTrace() {
        String huge = "grant_type=client_credentials&junk=" + "x".repeat(HttpCall.MAX_FORM_BYTES);

        TestHttp.Response response = http.send(HttpRequest.newBuilder(emu.tokenEndpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(huge)));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json()).containsEntry("error", "invalid_request");
        assertThat(response.body()).doesNotContain("at dev.entramcp", "Exception");
        assertThat(http.get(emu.jwksUri().toString()).status()).isEqualTo(200);
    }

    @Test
    void givenBrokenPercentEncoding_tokenEndpoint_answersInvalidRequest() {
        TestHttp.Response response = http.send(HttpRequest.newBuilder(emu.tokenEndpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=%zz")));

        TokenEndpointErrorsTest.assertEntraError(response, 400, "invalid_request", 90023);
    }

    @Test
    void givenAJsonBody_tokenEndpoint_asksForAForm() {
        TestHttp.Response response = http.postJson(emu.tokenEndpoint().toString(), "{\"grant_type\":\"x\"}");

        TokenEndpointErrorsTest.assertEntraError(response, 400, "invalid_request", 90023);
    }

    @Test
    void givenTheRoot_emulator_saysWhatItIs() {
        TestHttp.Response response = http.get(emu.baseUrl().toString() + "/");

        assertThat(response.body()).startsWith(EntraEmulator.WARNING);
        assertThat(response.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    }

    @Test
    void givenAGetOnAFormEndpoint_ui_answers405() {
        assertThat(http.get(emu.baseUrl() + "/ui/login").status()).isEqualTo(405);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/ui/consent")).GET()).status())
                .isEqualTo(405);
    }
}
