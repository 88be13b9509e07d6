package dev.entramcp.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device-code flow walked with plain HTTP requests, as curl would do it with {@code --cacert} and a cookie
 * jar (docs/entra-emulator.md shows the same walk as curl commands).
 */
class DeviceFlowWalkTest {

    private static final MutableClock CLOCK = new MutableClock();

    private static EntraEmulator emu;

    @BeforeAll
    static void start() {
        emu = EntraEmulator.builder().clock(CLOCK).deviceCodeInterval(Duration.ofSeconds(1)).build().start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @Test
    void givenOnlyHttp_theDeviceFlow_walksFromCodeToToken() {
        TestHttp device = new TestHttp(emu);
        TestHttp person = new TestHttp(emu);

        Map<String, Object> codes = device.postForm(emu.deviceCodeEndpoint().toString(), Map.of(
                "client_id", emu.apps().local().clientId(), "scope", "User.Read offline_access openid")).json();
        TestHttp.Response pending = device.postForm(emu.tokenEndpoint().toString(), poll(codes));
        TestHttp.Response codePage = person.get((String) codes.get("verification_uri"));
        Map<String, String> entered = codePage.hiddenFields();
        entered.put("user_code", codes.get("user_code").toString().toLowerCase());
        TestHttp.Response loginPage = person.postForm(emu.baseUrl() + "/devicelogin", entered);
        Map<String, String> picked = loginPage.hiddenFields();
        picked.put("username", "alice");
        TestHttp.Response done = person.postForm(emu.baseUrl() + "/ui/login", picked);
        CLOCK.advance(Duration.ofSeconds(1)); // the interval asked for: polling sooner earns slow_down
        TestHttp.Response tokens = device.postForm(emu.tokenEndpoint().toString(), poll(codes));

        assertThat(codes).containsKeys("device_code", "user_code", "message").containsEntry("interval", 1L)
                .containsEntry("expires_in", 900L).containsEntry("verification_uri", emu.baseUrl() + "/devicelogin");
        assertThat(pending.json()).containsEntry("error", "authorization_pending");
        assertThat(loginPage.body()).contains("entra-mcp local server");
        assertThat(done.body()).contains("You have signed in");
        assertThat(tokens.status()).isEqualTo(200);
        assertThat(tokens.json()).containsKeys("access_token", "refresh_token", "id_token")
                .containsEntry("token_type", "Bearer");
        assertThat(Fixtures.claims((String) tokens.json().get("access_token")))
                .containsEntry("oid", emu.user("alice").objectId());
    }

    @Test
    void givenTheCodeInTheLink_devicelogin_prefillsIt() {
        TestHttp.Response page = new TestHttp(emu).get(emu.baseUrl() + "/devicelogin?otc=ABCD");

        assertThat(page.body()).contains("value=\"ABCD\"");
    }

    @Test
    void givenAWrongCode_devicelogin_saysSoAndStaysOnTheCodePage() {
        TestHttp person = new TestHttp(emu);
        Map<String, String> entered = person.get(emu.baseUrl() + "/devicelogin").hiddenFields();
        entered.put("user_code", "NOPE12345");

        TestHttp.Response page = person.postForm(emu.baseUrl() + "/devicelogin", entered);

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("That code didn&#39;t work");
    }

    @Test
    void givenTheCodeFormWithoutTheBrowsersCookie_devicelogin_refusesIt() {
        Map<String, String> entered = new TestHttp(emu).get(emu.baseUrl() + "/devicelogin").hiddenFields();
        entered.put("user_code", "WHATEVER1");

        TestHttp.Response page = new TestHttp(emu).postForm(emu.baseUrl() + "/devicelogin", entered);

        assertThat(page.status()).isEqualTo(403);
    }

    @Test
    void givenAPersonWhoCancels_theDevice_isToldAuthorizationDeclined() {
        TestHttp device = new TestHttp(emu);
        TestHttp person = new TestHttp(emu);
        Map<String, Object> codes = device.postForm(emu.deviceCodeEndpoint().toString(), Map.of(
                "client_id", emu.apps().local().clientId(), "scope", "User.Read")).json();
        Map<String, String> entered = person.get(emu.baseUrl() + "/devicelogin").hiddenFields();
        entered.put("user_code", (String) codes.get("user_code"));
        Map<String, String> cancel = person.postForm(emu.baseUrl() + "/devicelogin", entered).hiddenFields();
        cancel.put("cancel", "1");

        person.postForm(emu.baseUrl() + "/ui/login", cancel);
        TestHttp.Response answer = device.postForm(emu.tokenEndpoint().toString(), poll(codes));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json()).containsEntry("error", "authorization_declined");
    }

    private static Map<String, String> poll(Map<String, Object> codes) {
        return Map.of("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "client_id", emu.apps().local().clientId(), "device_code", (String) codes.get("device_code"));
    }
}
