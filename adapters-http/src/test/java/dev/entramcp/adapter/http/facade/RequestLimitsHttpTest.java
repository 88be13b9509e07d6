package dev.entramcp.adapter.http.facade;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The facade's anonymous endpoints are limited per client address, and the consent records that
 * unauthenticated requests create are bounded server-wide (security review, finding 4). Each test
 * starts its own server with small limits, since every request of a test comes from 127.0.0.1.
 */
class RequestLimitsHttpTest {

    private FacadeTestServer server;

    private OAuthTestClient startWith(Map<String, Object> limits) {
        server = FacadeTestServer.start(limits, false);
        return new OAuthTestClient(server.url());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void givenAnAddressOverTheAuthorizeLimit_authorize_answers429WithRetryAfter_whateverXForwardedForSays() {
        OAuthTestClient browser = startWith(Map.of("entramcp.facade.limits.authorize-per-minute", 3));
        OAuthTestClient.Discovery discovery = browser.discover();
        OAuthTestClient.Client client = browser.registerPublicClient(discovery);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(browser.get(browser.authorizeUrl(discovery, client, OAuthTestClient.Pkce.fresh(), "s", "User.Read"))
                    .statusCode());
        }

        HttpResponse<String> over = browser.get(browser.authorizeUrl(discovery, client, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
        HttpResponse<String> spoofed = browser.get(browser.authorizeUrl(discovery, client, OAuthTestClient.Pkce.fresh(), "s",
                "User.Read"), "X-Forwarded-For", "203.0.113.9");

        assertThat(statuses).containsOnly(200);
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(over.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
        assertThat(over.body()).contains("Too many requests").doesNotContain("<form");
        assertThat(spoofed.statusCode()).isEqualTo(429);
    }

    @Test
    void givenAProxyThatSetsXForwardedFor_theLimit_countsEachForwardedAddressOnItsOwn() {
        OAuthTestClient browser = startWith(Map.of("entramcp.facade.limits.authorize-per-minute", 1,
                "entramcp.facade.limits.trust-forwarded-for", true));
        OAuthTestClient.Discovery discovery = browser.discover();
        OAuthTestClient.Client client = browser.registerPublicClient(discovery);
        URI authorize = browser.authorizeUrl(discovery, client, OAuthTestClient.Pkce.fresh(), "s", "User.Read");

        HttpResponse<String> first = browser.get(authorize, "X-Forwarded-For", "198.51.100.1, 203.0.113.7");
        HttpResponse<String> again = browser.get(authorize, "X-Forwarded-For", "198.51.100.2, 203.0.113.7");
        HttpResponse<String> another = browser.get(authorize, "X-Forwarded-For", "203.0.113.8");
        HttpResponse<String> sameIpv6Block = browser.get(authorize, "X-Forwarded-For", "2001:db8:1:2::1");
        HttpResponse<String> sameIpv6BlockAgain = browser.get(authorize, "X-Forwarded-For", "2001:db8:1:2:ffff::9");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).as("the rightmost address is the one the proxy saw").isEqualTo(429);
        assertThat(another.statusCode()).isEqualTo(200);
        assertThat(sameIpv6Block.statusCode()).isEqualTo(200);
        assertThat(sameIpv6BlockAgain.statusCode()).as("an IPv6 address counts by its /64").isEqualTo(429);
    }

    @Test
    void givenAnAddressOverTheRegisterOrTokenLimit_theEndpoint_answers429TemporarilyUnavailableWithRetryAfter() {
        OAuthTestClient client = startWith(Map.of("entramcp.facade.limits.register-per-minute", 2,
                "entramcp.facade.limits.token-per-minute", 2));
        OAuthTestClient.Discovery discovery = client.discover();
        OAuthTestClient.Client registered = client.registerPublicClient(discovery);
        client.registerPublicClient(discovery);
        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "refresh_token", "rt1.x", "client_id",
                registered.clientId());
        client.postForm(discovery.endpoint("token_endpoint"), refresh);
        client.postForm(discovery.endpoint("revocation_endpoint"), Map.of("token", "x", "client_id", registered.clientId()));

        HttpResponse<String> register = client.postJson(discovery.endpoint("registration_endpoint"), """
                {"redirect_uris":["http://127.0.0.1:53682/callback"],"token_endpoint_auth_method":"none"}""");
        HttpResponse<String> token = client.postForm(discovery.endpoint("token_endpoint"), refresh);

        for (HttpResponse<String> limited : List.of(register, token)) {
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(OAuthTestClient.json(limited).path("error").asText()).isEqualTo("temporarily_unavailable");
            assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
            assertThat(limited.headers().firstValue("Cache-Control")).contains("no-store");
        }
    }

    @Test
    void givenTheServerWideRegistrationLimitReached_register_answers429WithRetryAfterUntilTheMinuteEnds() {
        OAuthTestClient client = startWith(Map.of("entramcp.facade.registration.max-per-minute", 2));
        OAuthTestClient.Discovery discovery = client.discover();
        client.registerPublicClient(discovery);
        client.registerPublicClient(discovery);

        HttpResponse<String> over = client.postJson(discovery.endpoint("registration_endpoint"), """
                {"redirect_uris":["http://127.0.0.1:53682/callback"],"token_endpoint_auth_method":"none"}""");

        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(OAuthTestClient.json(over).path("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(OAuthTestClient.json(over).path("error_description").asText()).contains("too many registrations");
        assertThat(Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
    }

    @Test
    void givenAsManyConsentPagesAwaitingAnAnswerAsAllowed_anotherValidAuthorizeRequest_goesBackAsTemporarilyUnavailable() {
        OAuthTestClient browser = startWith(Map.of("entramcp.facade.limits.max-pending-authorizations", 2));
        OAuthTestClient.Discovery discovery = browser.discover();
        OAuthTestClient.Client client = browser.registerPublicClient(discovery);
        HttpResponse<String> first = browser.get(browser.authorizeUrl(discovery, client, OAuthTestClient.Pkce.fresh(), "a", "User.Read"));
        browser.get(browser.authorizeUrl(discovery, client, OAuthTestClient.Pkce.fresh(), "b", "User.Read"));

        HttpResponse<String> busy = browser.get(browser.authorizeUrl(discovery, client, OAuthTestClient.Pkce.fresh(), "c", "User.Read"));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(busy.statusCode()).as("RFC 6749 4.1.2.1: the client learns why, at its redirect URI").isEqualTo(302);
        URI back = URI.create(busy.headers().firstValue("Location").orElseThrow());
        assertThat(back.toString()).startsWith(client.redirectUri() + "?");
        assertThat(OAuthTestClient.query(back)).containsEntry("error", "temporarily_unavailable").containsEntry("state", "c")
                .containsEntry("iss", server.issuer());
        assertThat(busy.body()).doesNotContain("<form");
        assertThat(browser.submitConsent(first, "allow").statusCode()).as("pages already shown still work").isEqualTo(303);
    }

    @Test
    void givenABusyServerAndAnHttpsRedirectUri_anotherAuthorizeRequest_answers503WithALinkCarryingTheError() {
        OAuthTestClient browser = startWith(Map.of("entramcp.facade.limits.max-pending-authorizations", 1));
        OAuthTestClient.Discovery discovery = browser.discover();
        OAuthTestClient.Client web = browser.register(discovery, """
                {"client_name":"Web client","redirect_uris":["https://app.example/cb"],
                 "grant_types":["authorization_code","refresh_token"],"token_endpoint_auth_method":"none"}""");
        browser.get(browser.authorizeUrl(discovery, web, OAuthTestClient.Pkce.fresh(), "a", "User.Read"));

        HttpResponse<String> busy = browser.get(browser.authorizeUrl(discovery, web, OAuthTestClient.Pkce.fresh(), "b", "User.Read"));

        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Location")).isEmpty();
        assertThat(busy.body()).contains("Server busy").doesNotContain("<form");
        URI back = OAuthTestClient.returnLink(busy);
        assertThat(back.toString()).startsWith("https://app.example/cb?");
        assertThat(OAuthTestClient.query(back)).containsEntry("error", "temporarily_unavailable").containsEntry("state", "b");
    }
}
