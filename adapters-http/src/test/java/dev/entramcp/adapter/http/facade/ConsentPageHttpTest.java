package dev.entramcp.adapter.http.facade;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the consent page tells the person about where the result goes (security review, finding
 * 5): the whole redirect URI, escaped, and a warning when the application can only be on this
 * computer (the MCP authorization spec's "Localhost Redirect URI Risks").
 */
@ExtendWith(SharedFacadeServer.class)
class ConsentPageHttpTest {

    private static final String LOCAL_WARNING = "This application runs on this computer";

    private final OAuthTestClient browser;
    private final OAuthTestClient.Discovery discovery;

    ConsentPageHttpTest(FacadeTestServer server) {
        this.browser = new OAuthTestClient(server.url());
        this.discovery = browser.discover();
    }

    @Test
    void givenAWebClient_theConsentPage_showsTheWholeRedirectUriEscapedAndNoLocalWarning() {
        OAuthTestClient.Client web = browser.register(discovery, """
                {"client_name":"Team app","redirect_uris":["https://apps.example/oauth/callback?team=blue&env=prod"],
                 "token_endpoint_auth_method":"none"}""");

        HttpResponse<String> page = browser.get(browser.authorizeUrl(discovery, web, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<strong>apps.example</strong>")
                .contains("<code>https://apps.example/oauth/callback?team=blue&amp;env=prod</code>")
                .doesNotContain("team=blue&env").doesNotContain(LOCAL_WARNING);
    }

    @Test
    void givenAClientWhoseRedirectUrisAreAllLoopback_theConsentPage_warnsThatAnyLocalProgramCouldBeIt() {
        OAuthTestClient.Client local = browser.registerPublicClient(discovery);

        HttpResponse<String> page = browser.get(browser.authorizeUrl(discovery, local, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));

        assertThat(page.body()).contains(LOCAL_WARNING).contains("<code>http://127.0.0.1:53682/callback</code>");
    }

    @Test
    void givenANativeClientWithALoopbackAndAClaimedHttpsRedirectUri_theConsentPage_hasNoLocalWarning() {
        OAuthTestClient.Client both = browser.register(discovery, """
                {"redirect_uris":["http://127.0.0.1:53682/callback","https://app.example/callback"],
                 "application_type":"native","token_endpoint_auth_method":"none"}""");

        HttpResponse<String> page = browser.get(browser.authorizeUrl(discovery, both, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain(LOCAL_WARNING);
    }
}
