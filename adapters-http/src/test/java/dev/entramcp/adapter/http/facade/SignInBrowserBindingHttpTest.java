package dev.entramcp.adapter.http.facade;

import com.nimbusds.jwt.SignedJWT;
import dev.entramcp.domain.model.CallerIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream {@code state} is bound to the browser that consented (security review, finding 1:
 * MCP Security Best Practices, "OAuth State Parameter Validation"): the redirect to Entra sets a
 * sign-in cookie, and the callback completes the sign-in only for the browser presenting it.
 */
@ExtendWith(SharedFacadeServer.class)
class SignInBrowserBindingHttpTest {

    private static final String ATTACKERS_CLIENT = """
            {"client_name":"Totally legit MCP client","redirect_uris":["https://attacker.example/cb"],
             "grant_types":["authorization_code","refresh_token"],"token_endpoint_auth_method":"none"}""";

    private final FacadeTestServer server;

    SignInBrowserBindingHttpTest(FacadeTestServer server) {
        this.server = server;
    }

    /**
     * The attack: the attacker consents in his own browser to his own client, stops at the 303 to
     * Entra, and sends that (genuine Microsoft) URL to the victim. The victim's browser completes
     * the sign-in (single sign-on) and Entra posts code and state to the callback. Were the state
     * not bound to the browser, the facade would send a code for the victim to the attacker's
     * redirect URI, and the attacker would redeem it with his own PKCE verifier.
     */
    @Test
    void givenAnUpstreamSignInStartedInTheAttackersBrowser_completedByTheVictim_theAttackerGetsNoTokenForTheVictim()
            throws Exception {
        OAuthTestClient attacker = new OAuthTestClient(server.url());
        OAuthTestClient.Discovery discovery = attacker.discover();
        OAuthTestClient.Client evil = attacker.register(discovery, ATTACKERS_CLIENT);
        OAuthTestClient.Pkce pkce = OAuthTestClient.Pkce.fresh();
        HttpResponse<String> consentPage = attacker.get(attacker.authorizeUrl(discovery, evil, pkce, "x", "User.Read Mail.Send"));
        HttpResponse<String> toEntra = attacker.submitConsent(consentPage, "allow");
        URI entraSignInUrl = URI.create(toEntra.headers().firstValue("Location").orElseThrow());
        OAuthTestClient victimBrowser = new OAuthTestClient(server.url());
        CallerIdentity victim = FacadeUsers.aMailSender("Victim");
        Map<String, String> postedByEntra = server.upstream().signIn(entraSignInUrl, victim);

        HttpResponse<String> callback = victimBrowser.postForm(server.url().resolve("/auth/callback"), postedByEntra);

        Optional<String> stolenOid = Optional.empty();
        String location = callback.headers().firstValue("Location").orElse("");
        if (location.startsWith("https://attacker.example/cb")) {
            String code = OAuthTestClient.query(URI.create(location)).get("code");
            HttpResponse<String> tokens = attacker.redeem(discovery, evil, code, pkce);
            if (tokens.statusCode() == 200) {
                String accessToken = OAuthTestClient.json(tokens).path("access_token").asText();
                stolenOid = Optional.ofNullable(SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim("oid"));
            }
        }
        assertThat(stolenOid).as("the attacker's client obtained a facade token for the victim (oid %s); callback answered %s %s",
                victim.principal().objectId(), callback.statusCode(), location).isEmpty();
        assertThat(callback.statusCode()).isEqualTo(403);
        assertThat(callback.headers().firstValue("Location")).isEmpty();
        assertThat(callback.body()).contains("not started in this browser");
    }

    @Test
    void givenTheBrowserThatConsented_theRedirectToEntra_setsASignInCookieThatTheCallbackClears() {
        OAuthTestClient browser = new OAuthTestClient(server.url());
        OAuthTestClient.Discovery discovery = browser.discover();
        OAuthTestClient.Client client = browser.registerPublicClient(discovery);
        HttpResponse<String> page = browser.get(browser.authorizeUrl(discovery, client, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));

        HttpResponse<String> toEntra = browser.submitConsent(page, "allow");
        Map<String, String> posted = server.upstream().signIn(URI.create(toEntra.headers().firstValue("Location").orElseThrow()),
                FacadeUsers.aUser("Nina"));
        HttpResponse<String> callback = browser.postForm(server.url().resolve("/auth/callback"), posted);

        String set = signInCookie(toEntra).orElseThrow();
        String name = set.substring(0, set.indexOf('='));
        assertThat(name).isEqualTo(AuthorizationFlow.signInCookieName(posted.get("state")));
        assertThat(set).contains("Path=/").contains("Secure").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=None").contains("Max-Age=600").doesNotContainIgnoringCase("Domain=");
        assertThat(callback.statusCode()).isEqualTo(303);
        assertThat(callback.headers().firstValue("Location").orElseThrow()).startsWith(client.redirectUri() + "?code=");
        assertThat(signInCookie(callback).orElseThrow()).startsWith(name + "=;").contains("Max-Age=0");
        assertThat(browser.cookies()).doesNotContainKey(name);
    }

    @Test
    void givenAVictimWithASignInOfHerOwnInProgress_theAttackersSignInCompletedInHerBrowser_isRefusedWithAPage() {
        OAuthTestClient attacker = new OAuthTestClient(server.url());
        OAuthTestClient.Discovery discovery = attacker.discover();
        OAuthTestClient.Client evil = attacker.register(discovery, ATTACKERS_CLIENT);
        URI attackersSignIn = URI.create(attacker.submitConsent(attacker.get(attacker.authorizeUrl(discovery, evil,
                OAuthTestClient.Pkce.fresh(), "x", "User.Read")), "allow").headers().firstValue("Location").orElseThrow());
        OAuthTestClient victim = new OAuthTestClient(server.url());
        OAuthTestClient.Client hers = victim.registerPublicClient(discovery);
        HttpResponse<String> herOwn = victim.submitConsent(victim.get(victim.authorizeUrl(discovery, hers,
                OAuthTestClient.Pkce.fresh(), "mine", "User.Read")), "allow");
        assertThat(signInCookie(herOwn)).isPresent();

        HttpResponse<String> callback = victim.postForm(server.url().resolve("/auth/callback"),
                server.upstream().signIn(attackersSignIn, FacadeUsers.aUser("Olga")));

        assertThat(callback.statusCode()).isEqualTo(403);
        assertThat(callback.headers().firstValue("Location")).isEmpty();
        assertThat(callback.body()).contains("not started in this browser").doesNotContain("attacker.example");
    }

    @Test
    void givenTheBindingValueOfAnotherSignInUnderThisSignInsCookieName_callback_isRefused() {
        OAuthTestClient browser = new OAuthTestClient(server.url());
        OAuthTestClient.Discovery discovery = browser.discover();
        OAuthTestClient.Client client = browser.registerPublicClient(discovery);
        HttpResponse<String> first = browser.submitConsent(browser.get(browser.authorizeUrl(discovery, client,
                OAuthTestClient.Pkce.fresh(), "a", "User.Read")), "allow");
        OAuthTestClient other = new OAuthTestClient(server.url());
        HttpResponse<String> second = other.submitConsent(other.get(other.authorizeUrl(discovery, client,
                OAuthTestClient.Pkce.fresh(), "b", "User.Read")), "allow");
        Map<String, String> posted = server.upstream().signIn(URI.create(second.headers().firstValue("Location").orElseThrow()),
                FacadeUsers.aUser("Pia"));
        String firstValue = value(signInCookie(first).orElseThrow());
        String secondName = AuthorizationFlow.signInCookieName(posted.get("state"));

        HttpResponse<String> callback = new OAuthTestClient(server.url()).postForm(server.url().resolve("/auth/callback"),
                posted, "Cookie", secondName + "=" + firstValue);

        assertThat(callback.statusCode()).isEqualTo(403);
        assertThat(callback.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void givenTwoSignInsInProgressInOneBrowser_bothCallbacks_sendTheirCodeToTheClient() {
        OAuthTestClient browser = new OAuthTestClient(server.url());
        OAuthTestClient.Discovery discovery = browser.discover();
        OAuthTestClient.Client client = browser.registerPublicClient(discovery);
        URI firstSignIn = URI.create(browser.submitConsent(browser.get(browser.authorizeUrl(discovery, client,
                OAuthTestClient.Pkce.fresh(), "one", "User.Read")), "allow").headers().firstValue("Location").orElseThrow());
        URI secondSignIn = URI.create(browser.submitConsent(browser.get(browser.authorizeUrl(discovery, client,
                OAuthTestClient.Pkce.fresh(), "two", "User.Read")), "allow").headers().firstValue("Location").orElseThrow());

        HttpResponse<String> second = browser.postForm(server.url().resolve("/auth/callback"),
                server.upstream().signIn(secondSignIn, FacadeUsers.aUser("Quinn")));
        HttpResponse<String> first = browser.postForm(server.url().resolve("/auth/callback"),
                server.upstream().signIn(firstSignIn, FacadeUsers.aUser("Quinn")));

        assertThat(List.of(first.statusCode(), second.statusCode())).containsExactly(303, 303);
        assertThat(OAuthTestClient.query(URI.create(first.headers().firstValue("Location").orElseThrow())))
                .containsEntry("state", "one").containsKey("code");
        assertThat(OAuthTestClient.query(URI.create(second.headers().firstValue("Location").orElseThrow())))
                .containsEntry("state", "two").containsKey("code");
    }

    private static Optional<String> signInCookie(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith(AuthorizationFlow.SIGN_IN_COOKIE_PREFIX)).findFirst();
    }

    private static String value(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        return pair.substring(pair.indexOf('=') + 1);
    }
}
