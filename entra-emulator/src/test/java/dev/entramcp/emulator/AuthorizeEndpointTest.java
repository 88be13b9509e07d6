package dev.entramcp.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The authorize endpoint and its pages: redirect URI checks, PKCE, response modes, prompt, consent, CSRF. */
class AuthorizeEndpointTest {

    private static final String REDIRECT = "http://localhost:7777/callback";

    private static EntraEmulator emu;

    @BeforeAll
    static void start() {
        emu = EntraEmulator.builder()
                .users(DemoUser.of("alice", "Alice Adams"), DemoUser.of("bob", "Bob Baker", "Mail.Sender"),
                        DemoUser.of("carol", "Carol Clark"))
                .app(AppRegistration.publicClient("<script>alert(1)</script>")
                        .withClientId("0e3c3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6").withRedirectUris(REDIRECT))
                .build().start();
        emu.control().registerRedirectUri(emu.apps().local().clientId(), REDIRECT);
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @BeforeEach
    void reset() {
        emu.control().autoApprove(null);
    }

    @Test
    void givenQueryMode_signIn_redirectsWithCodeAndStateOnly() {
        HeadlessBrowser browser = new HeadlessBrowser(emu);

        TestHttp.Response login = browser.http().get(authorize(params(TestHttp.Pkce.create())));
        HeadlessBrowser.HandBack back = browser.follow(login, "alice");

        assertThat(login.body()).contains("alice@entra-emulator.test", "bob@entra-emulator.test",
                "not an identity provider");
        assertThat(back.formPost()).isFalse();
        assertThat(back.redirectUri()).isEqualTo(REDIRECT);
        assertThat(back.params()).containsOnlyKeys("code", "state", "session_state").containsEntry("state", "xyz");
    }

    @Test
    void givenFormPost_signIn_returnsASelfSubmittingFormUnderAStrictPolicy() {
        emu.control().autoApprove("alice");
        Map<String, String> params = params(TestHttp.Pkce.create());
        params.put("response_mode", "form_post");

        TestHttp.Response page = new TestHttp(emu).get(authorize(params));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.formAction()).isEqualTo(REDIRECT);
        assertThat(page.hiddenFields()).containsKeys("code", "session_state").containsEntry("state", "xyz");
        assertThat(page.header("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("form-action 'self' http://localhost:7777", "script-src 'sha256-", "default-src 'none'"));
        assertThat(page.header("X-Frame-Options")).contains("DENY");
    }

    @Test
    void givenANonce_codeRedemption_putsItInTheIdToken() {
        emu.control().autoApprove("bob");
        TestHttp.Pkce pkce = TestHttp.Pkce.create();
        Map<String, String> params = params(pkce);
        params.put("nonce", "n-0S6_WzA2Mj");
        String code = new HeadlessBrowser(emu).signIn(authorize(params), "bob").params().get("code");

        Map<String, Object> tokens = new TestHttp(emu).postForm(emu.tokenEndpoint().toString(), Map.of(
                "grant_type", "authorization_code", "client_id", emu.apps().local().clientId(), "code", code,
                "redirect_uri", REDIRECT, "code_verifier", pkce.verifier(), "client_info", "1")).json();

        assertThat(Fixtures.claims((String) tokens.get("id_token"))).containsEntry("nonce", "n-0S6_WzA2Mj")
                .containsEntry("aud", emu.apps().local().clientId()).containsEntry("tid", emu.tenantId());
        assertThat(tokens.get("scope").toString().split(" ")).contains("openid", "User.Read");
        String clientInfo = new String(java.util.Base64.getUrlDecoder().decode((String) tokens.get("client_info")),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(clientInfo).isEqualTo("{\"uid\":\"" + emu.user("bob").objectId() + "\",\"utid\":\""
                + emu.tenantId() + "\"}");
    }

    @Test
    void givenAnUnregisteredRedirectUri_authorize_showsAnErrorPageAndNeverRedirects() {
        Map<String, String> params = params(TestHttp.Pkce.create());
        params.put("redirect_uri", "https://attacker.example/steal");

        TestHttp.Response page = new TestHttp(emu).get(authorize(params));

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.header("Location")).isEmpty();
        assertThat(page.body()).contains("AADSTS50011").contains("https://attacker.example/steal");
    }

    @Test
    void givenALoopbackRedirectOnAnotherPort_authorize_acceptsItLikeEntra() {
        emu.control().autoApprove("alice");
        Map<String, String> params = params(TestHttp.Pkce.create());
        params.put("redirect_uri", "http://localhost:49152");

        HeadlessBrowser.HandBack back = new HeadlessBrowser(emu).signIn(authorize(params), "alice");

        assertThat(back.redirectUri()).isEqualTo("http://localhost:49152");
        assertThat(back.params()).containsKey("code");
    }

    @Test
    void givenAnUnknownClient_authorize_showsAnErrorPage() {
        Map<String, String> params = params(TestHttp.Pkce.create());
        params.put("client_id", "11111111-2222-3333-4444-555555555555");

        TestHttp.Response page = new TestHttp(emu).get(authorize(params));

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.header("Location")).isEmpty();
        assertThat(page.body()).contains("AADSTS700016");
    }

    @Test
    void givenAPublicClientWithoutPkce_authorize_redirectsAnInvalidRequest() {
        Map<String, String> params = params(TestHttp.Pkce.create());
        params.remove("code_challenge");
        params.remove("code_challenge_method");

        HeadlessBrowser.HandBack back = new HeadlessBrowser(emu).signIn(authorize(params), "alice");

        assertThat(back.params()).containsEntry("error", "invalid_request").containsEntry("state", "xyz")
                .doesNotContainKey("code");
        assertThat(back.params().get("error_description")).startsWith("AADSTS9002325: ");
    }

    @Test
    void givenThePlainPkceMethod_authorize_isRefused() {
        Map<String, String> params = params(TestHttp.Pkce.create());
        params.put("code_challenge_method", "plain");

        HeadlessBrowser.HandBack back = new HeadlessBrowser(emu).signIn(authorize(params), "alice");

        assertThat(back.params()).containsEntry("error", "invalid_request");
    }

    @Test
    void givenTheImplicitResponseType_authorize_isRefused() {
        Map<String, String> params = params(TestHttp.Pkce.create());
        params.put("response_type", "token");

        HeadlessBrowser.HandBack back = new HeadlessBrowser(emu).signIn(authorize(params), "alice");

        assertThat(back.params()).containsEntry("error", "unsupported_response_type");
    }

    @Test
    void givenPromptNone_withoutASession_answersLoginRequired() {
        Map<String, String> params = params(TestHttp.Pkce.create());
        params.put("prompt", "none");

        HeadlessBrowser.HandBack back = new HeadlessBrowser(emu).signIn(authorize(params), "alice");

        assertThat(back.params()).containsEntry("error", "login_required");
        assertThat(back.params().get("error_description")).startsWith("AADSTS50058: ");
    }

    @Test
    void givenPromptNone_afterASignInInTheSameBrowser_completesSilentlyButNotForAnotherUser() {
        HeadlessBrowser browser = new HeadlessBrowser(emu);
        browser.signIn(authorize(params(TestHttp.Pkce.create())), "alice");
        Map<String, String> silent = params(TestHttp.Pkce.create());
        silent.put("prompt", "none");
        Map<String, String> otherUser = new LinkedHashMap<>(silent);
        otherUser.put("login_hint", "bob@entra-emulator.test");

        HeadlessBrowser.HandBack back = browser.signIn(authorize(silent), "ignored");
        HeadlessBrowser.HandBack refused = browser.signIn(authorize(otherUser), "ignored");

        assertThat(back.params()).containsKey("code");
        assertThat(refused.params()).containsEntry("error", "interaction_required");
    }

    @Test
    void givenWithdrawnConsent_signIn_showsTheConsentPageAndAcceptingGrantsAgain() {
        emu.control().withdrawConsent("bob", emu.apps().local().clientId());
        HeadlessBrowser browser = new HeadlessBrowser(emu);
        TestHttp.Response login = browser.http().get(authorize(params(TestHttp.Pkce.create())));
        Map<String, String> pick = login.hiddenFields();
        pick.put("username", "bob");

        TestHttp.Response consent = browser.http().postForm(emu.baseUrl() + "/ui/login", pick);
        HeadlessBrowser.HandBack back = browser.follow(consent, "bob");

        assertThat(consent.body()).contains("Permissions requested", "User.Read", "entra-mcp local server");
        assertThat(back.params()).containsKey("code");
        assertThat(browser.signIn(authorize(params(TestHttp.Pkce.create())), "bob").params()).containsKey("code");
    }

    @Test
    void givenADeclinedConsent_signIn_redirectsAccessDenied() {
        emu.control().withdrawConsent("carol", emu.apps().local().clientId());
        TestHttp http = new TestHttp(emu);
        Map<String, String> pick = http.get(authorize(params(TestHttp.Pkce.create()))).hiddenFields();
        pick.put("username", "carol");
        Map<String, String> decision = http.postForm(emu.baseUrl() + "/ui/login", pick).hiddenFields();
        decision.put("decision", "deny");

        TestHttp.Response back = http.postForm(emu.baseUrl() + "/ui/consent", decision);

        Map<String, String> result = TestHttp.queryOf(back.header("Location").orElseThrow());
        assertThat(result).containsEntry("error", "access_denied").containsEntry("state", "xyz");
        assertThat(result.get("error_description")).startsWith("AADSTS65004: ");
    }

    @Test
    void givenTheLoginFormPostedFromAnotherBrowser_login_isRefusedAsCsrf() {
        Map<String, String> pick = new TestHttp(emu).get(authorize(params(TestHttp.Pkce.create()))).hiddenFields();
        pick.put("username", "alice");

        TestHttp.Response forged = new TestHttp(emu).postForm(emu.baseUrl() + "/ui/login", pick);

        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("CSRF");
    }

    @Test
    void givenATamperedCsrfToken_login_isRefused() {
        TestHttp http = new TestHttp(emu);
        Map<String, String> pick = http.get(authorize(params(TestHttp.Pkce.create()))).hiddenFields();
        pick.put("username", "alice");
        pick.put("csrf", pick.get("csrf").substring(1) + "A");

        assertThat(http.postForm(emu.baseUrl() + "/ui/login", pick).status()).isEqualTo(403);
    }

    @Test
    void givenAnAppNameWithMarkup_loginPage_escapesIt() {
        Map<String, String> params = params(TestHttp.Pkce.create());
        params.put("client_id", "0e3c3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6");

        TestHttp.Response page = new TestHttp(emu).get(authorize(params));

        assertThat(page.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert");
    }

    private static Map<String, String> params(TestHttp.Pkce pkce) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", emu.apps().local().clientId());
        params.put("response_type", "code");
        params.put("redirect_uri", REDIRECT);
        params.put("scope", "openid profile offline_access User.Read");
        params.put("state", "xyz");
        params.put("code_challenge", pkce.challenge());
        params.put("code_challenge_method", "S256");
        return params;
    }

    private static String authorize(Map<String, String> params) {
        return emu.authorizationEndpoint() + "?" + TestHttp.form(params);
    }
}
