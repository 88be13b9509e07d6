package dev.entramcp.adapter.http.facade;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entramcp.adapter.http.facade.store.RecordKeys;
import dev.entramcp.adapter.http.facade.store.RecordStore;
import dev.entramcp.adapter.http.facade.store.SealedRecords;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.TestCallers;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way the issue lists to abuse the flow, each refused precisely: PKCE, codes, redirect
 * URIs, state, consent CSRF, refresh-token replay, and one user's session with another's token.
 */
@ExtendWith(SharedFacadeServer.class)
class FacadeRefusalsHttpTest {

    private final FacadeTestServer server;
    private final OAuthTestClient client;
    private final OAuthTestClient.Discovery discovery;
    private final OAuthTestClient.Client registered;

    FacadeRefusalsHttpTest(FacadeTestServer server) {
        this.server = server;
        this.client = new OAuthTestClient(server.url());
        this.discovery = client.discover();
        this.registered = client.registerPublicClient(discovery);
    }

    /** The browser part for a fresh user; returns the code and the PKCE it was bound to. */
    private record Issued(String code, OAuthTestClient.Pkce pkce, CallerIdentity user) {
    }

    private Issued codeFor(OAuthTestClient.Client forClient) {
        OAuthTestClient.Pkce pkce = OAuthTestClient.Pkce.fresh();
        CallerIdentity user = FacadeUsers.aUser("Frank");
        URI back = client.authorizeInBrowser(client.authorizeUrl(discovery, forClient, pkce, "s-1", "User.Read"),
                server.upstream(), user);
        return new Issued(OAuthTestClient.query(back).get("code"), pkce, user);
    }

    private static String error(HttpResponse<String> response) {
        return OAuthTestClient.json(response).path("error").asText();
    }

    @Test
    void givenTheWrongPkceVerifier_token_isRefusedAndTheCodeIsSpent() {
        Issued issued = codeFor(registered);

        HttpResponse<String> wrong = client.redeem(discovery, registered, issued.code(), OAuthTestClient.Pkce.fresh());
        HttpResponse<String> right = client.redeem(discovery, registered, issued.code(), issued.pkce());

        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(OAuthTestClient.json(wrong).path("error_description").asText()).contains("code_verifier");
        assertThat(error(wrong)).isEqualTo("invalid_grant");
        assertThat(error(right)).isEqualTo("invalid_grant");
    }

    @Test
    void givenACodeUsedTwice_theSecondUse_isRefusedAndRevokesWhatTheFirstObtained() {
        Issued issued = codeFor(registered);
        JsonNode first = OAuthTestClient.json(client.redeem(discovery, registered, issued.code(), issued.pkce()));

        HttpResponse<String> again = client.redeem(discovery, registered, issued.code(), issued.pkce());

        assertThat(error(again)).isEqualTo("invalid_grant");
        assertThat(OAuthTestClient.json(again).path("error_description").asText()).contains("already used");
        assertThat(server.mcp().raw().post("/mcp", first.path("access_token").asText(), RawMcp.INITIALIZE).statusCode())
                .isEqualTo(401);
        assertThat(error(client.refresh(discovery, registered, first.path("refresh_token").asText()))).isEqualTo("invalid_grant");
        assertThat(server.bean(UpstreamTokenStorePort.class).load(issued.user().principal())).isEmpty();
    }

    /**
     * Security review, finding 6: a code is valid for its lifetime after it was issued, as its
     * sealed record says, even if the store keeps the record longer (its expiry moved by whoever can
     * write the store, or a store that sweeps late).
     */
    @Test
    void givenACodeRecordKeptPastTheCodeLifetime_token_refusesTheCode() {
        Issued issued = codeFor(registered);
        SealedRecords records = server.bean(SealedRecords.class);
        String key = RecordKeys.hashed(issued.code());
        PendingRecords.Code code = records.read(PendingRecords.CODES, key, PendingRecords.Code.class).orElseThrow();
        Instant now = Instant.now();
        records.write(PendingRecords.CODES, key, new PendingRecords.Code(code.request(), code.tenantId(), code.objectId(),
                code.username(), code.displayName(), code.roles(), code.grantedScopes(), code.upstreamAccessToken(),
                code.upstreamExpiresAt(), code.upstreamRefreshToken(), code.upstreamScopes(),
                now.minus(Duration.ofMinutes(2)).toEpochMilli()), Optional.of(now.plus(Duration.ofHours(1))));

        HttpResponse<String> late = client.redeem(discovery, registered, issued.code(), issued.pkce());

        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(error(late)).isEqualTo("invalid_grant");
        assertThat(OAuthTestClient.json(late).path("error_description").asText()).contains("expired");
    }

    @Test
    void givenAConsentTicketKeptPastItsLifetime_consent_isRefusedAsExpired() {
        HttpResponse<String> page = client.get(client.authorizeUrl(discovery, registered, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
        SealedRecords records = server.bean(SealedRecords.class);
        String key = RecordKeys.hashed(OAuthTestClient.hiddenFields(page.body()).get("ticket"));
        PendingRecords.Consent consent = records.read(PendingRecords.CONSENTS, key, PendingRecords.Consent.class).orElseThrow();
        Instant now = Instant.now();
        records.write(PendingRecords.CONSENTS, key, new PendingRecords.Consent(consent.request(), consent.csrfHash(),
                consent.browserHash(), now.minus(Duration.ofMinutes(11)).toEpochMilli()), Optional.of(now.plus(Duration.ofHours(1))));

        HttpResponse<String> late = client.submitConsent(page, "allow");

        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(late.headers().firstValue("Location")).isEmpty();
        assertThat(late.body()).contains("expired");
    }

    /**
     * The server's own upstream {@code state} lives ten minutes from the consent, as its sealed
     * record says, even if the store keeps the record longer; a late callback issues no code.
     */
    @Test
    void givenAnUpstreamStateKeptPastItsLifetime_callback_isRefusedAsExpiredAndIssuesNoCode() {
        HttpResponse<String> page = client.get(client.authorizeUrl(discovery, registered, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
        URI signIn = URI.create(client.submitConsent(page, "allow").headers().firstValue("Location").orElseThrow());
        SealedRecords records = server.bean(SealedRecords.class);
        String key = RecordKeys.hashed(server.upstream().requestFor(signIn).state());
        PendingRecords.UpstreamState state = records.read(PendingRecords.UPSTREAM_STATES, key, PendingRecords.UpstreamState.class)
                .orElseThrow();
        Instant now = Instant.now();
        records.write(PendingRecords.UPSTREAM_STATES, key, new PendingRecords.UpstreamState(state.request(), state.nonce(),
                state.codeVerifier(), state.browserBindingHash(), now.minus(Duration.ofMinutes(10)).minusSeconds(1).toEpochMilli()),
                Optional.of(now.plus(Duration.ofHours(1))));
        Map<String, String> posted = server.upstream().signIn(signIn, FacadeUsers.aUser("Lena"));

        HttpResponse<String> late = client.postForm(server.url().resolve("/auth/callback"), posted);

        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(late.headers().firstValue("Location")).isEmpty();
        assertThat(late.body()).contains("Sign-in expired");
        assertThat(records.read(PendingRecords.UPSTREAM_STATES, key, PendingRecords.UpstreamState.class)).isEmpty();
    }

    @Test
    void givenACodeIssuedToAnotherClient_token_isRefused() {
        Issued issued = codeFor(registered);
        OAuthTestClient.Client thief = new OAuthTestClient(server.url()).registerPublicClient(discovery);
        OAuthTestClient.Client thiefWithVictimsRedirect = new OAuthTestClient.Client(thief.clientId(), null, registered.redirectUri());

        HttpResponse<String> stolen = client.redeem(discovery, thiefWithVictimsRedirect, issued.code(), issued.pkce());

        assertThat(stolen.statusCode()).isEqualTo(400);
        assertThat(error(stolen)).isEqualTo("invalid_grant");
        assertThat(OAuthTestClient.json(stolen).path("error_description").asText()).contains("not issued to this client");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://evil.example/callback",
            "http://127.0.0.1:53682/callback/../evil",
            "http://127.0.0.1:53682/callback/extra",
            "http://127.0.0.1:53682/callback?next=https://evil.example",
            "http://127.0.0.1:53682/callback#fragment",
            "http://127.0.0.1.evil.example:53682/callback",
            "http://localhost@evil.example:53682/callback",
            "http://localhost:53682/callback",
            "https://127.0.0.1:53682/callback",
            "javascript:alert(1)",
            "//evil.example/callback"})
    void givenARedirectUriThatIsNotExactlyARegisteredOne_authorize_answersAnErrorPageAndNeverRedirects(String redirectUri) {
        OAuthTestClient.Client liar = new OAuthTestClient.Client(registered.clientId(), null, redirectUri);

        HttpResponse<String> answer = client.get(client.authorizeUrl(discovery, liar, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Location")).isEmpty();
        assertThat(answer.body()).contains("Invalid redirect").doesNotContain("evil.example");
    }

    @Test
    void givenTheRegisteredLoopbackRedirectOnAnotherPort_authorize_acceptsItAsRfc8252Says() {
        OAuthTestClient.Client otherPort = new OAuthTestClient.Client(registered.clientId(), null, "http://127.0.0.1:40001/callback");

        HttpResponse<String> answer = client.get(client.authorizeUrl(discovery, otherPort, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("Allow access?").contains("http://127.0.0.1:40001");
    }

    @Test
    void givenAClientIdOrTicketThatCannotBeOne_theEndpoints_answerAsUnknownNotAsAServerError() {
        OAuthTestClient.Client strange = new OAuthTestClient.Client("a b\u00e9/..", null, registered.redirectUri());

        HttpResponse<String> authorize = client.get(client.authorizeUrl(discovery, strange, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
        HttpResponse<String> token = client.postForm(discovery.endpoint("token_endpoint"),
                Map.of("grant_type", "authorization_code", "client_id", "a b\u00e9/.."));
        HttpResponse<String> consent = client.postForm(server.url().resolve("/authorize/consent"),
                Map.of("ticket", "not a ticket \u00e9", "csrf", "x", "decision", "allow"));

        assertThat(authorize.statusCode()).isEqualTo(400);
        assertThat(authorize.body()).contains("Unknown application");
        assertThat(token.statusCode()).isEqualTo(401);
        assertThat(error(token)).isEqualTo("invalid_client");
        assertThat(consent.statusCode()).isEqualTo(400);
    }

    @Test
    void givenAnUnknownClient_authorize_answersAnErrorPageAndNeverRedirects() {
        OAuthTestClient.Client unknown = new OAuthTestClient.Client("no-such-client", null, registered.redirectUri());

        HttpResponse<String> answer = client.get(client.authorizeUrl(discovery, unknown, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Location")).isEmpty();
        assertThat(answer.body()).contains("Unknown application");
    }

    @Test
    void givenAVerifiedRedirectButNoPkceNoStatePlainPkceAWrongResourceOrAnUnknownScope_authorize_redirectsBackWithThePreciseError() {
        Map<String, String> noPkce = authorizeError(query -> query.remove("code_challenge"));
        Map<String, String> plain = authorizeError(query -> query.put("code_challenge_method", "plain"));
        Map<String, String> noState = authorizeError(query -> query.remove("state"));
        Map<String, String> resource = authorizeError(query -> query.put("resource", "https://other.example/mcp"));
        Map<String, String> scope = authorizeError(query -> query.put("scope", "Files.ReadWrite.All"));
        Map<String, String> responseType = authorizeError(query -> query.put("response_type", "token"));

        assertThat(noPkce).containsEntry("error", "invalid_request").containsEntry("state", "s-err");
        assertThat(noPkce.get("error_description")).contains("PKCE");
        assertThat(plain).containsEntry("error", "invalid_request");
        assertThat(noState).containsEntry("error", "invalid_request").doesNotContainKey("state");
        assertThat(resource).containsEntry("error", "invalid_target");
        assertThat(scope).containsEntry("error", "invalid_scope");
        assertThat(responseType).containsEntry("error", "unsupported_response_type");
        assertThat(noPkce).containsEntry("iss", server.issuer());
    }

    private Map<String, String> authorizeError(java.util.function.Consumer<Map<String, String>> change) {
        OAuthTestClient.Pkce pkce = OAuthTestClient.Pkce.fresh();
        Map<String, String> query = new LinkedHashMap<>(OAuthTestClient.query(
                client.authorizeUrl(discovery, registered, pkce, "s-err", "User.Read")));
        change.accept(query);
        HttpResponse<String> answer = client.get(URI.create(discovery.endpoint("authorization_endpoint") + "?" + OAuthTestClient.form(query)));
        assertThat(answer.statusCode()).isEqualTo(302);
        URI location = URI.create(answer.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(registered.redirectUri() + "?");
        return OAuthTestClient.query(location);
    }

    @Test
    void givenTheConsentPage_itsHeadersForbidFramingAndItsCookieIsAStrictHostCookie() {
        HttpResponse<String> page = client.get(client.authorizeUrl(discovery, registered, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("frame-ancestors 'none'").contains("default-src 'none'").contains("form-action 'self' " + FakeUpstream.ORIGIN);
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("__Host-entramcp-consent=").contains("Path=/").contains("Secure").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").doesNotContainIgnoringCase("Domain=");
        assertThat(page.body()).contains("Test MCP client").contains("not verified").contains("User.Read")
                .contains("http://127.0.0.1:53682");
    }

    @Test
    void givenAConsentPostedWithoutTheBrowsersCookie_consent_isRefusedAsCsrf() {
        HttpResponse<String> page = client.get(client.authorizeUrl(discovery, registered, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
        OAuthTestClient attackersBrowser = new OAuthTestClient(server.url());
        Map<String, String> fields = OAuthTestClient.hiddenFields(page.body());
        fields.put("decision", "allow");

        HttpResponse<String> forged = attackersBrowser.postForm(server.url().resolve("/authorize/consent"), fields);

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.headers().firstValue("Location")).isEmpty();
        assertThat(forged.body()).contains("CSRF");
    }

    /** Security review, finding 7: the ticket in the page is a one-time secret, so the store keeps only its SHA-256. */
    @Test
    void givenAConsentPage_theStore_keepsItsTicketOnlyAsItsSha256() {
        HttpResponse<String> page = client.get(client.authorizeUrl(discovery, registered, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
        String ticket = OAuthTestClient.hiddenFields(page.body()).get("ticket");
        RecordStore store = server.bean(RecordStore.class);

        assertThat(store.get(PendingRecords.CONSENTS, ticket)).isEmpty();
        assertThat(store.get(PendingRecords.CONSENTS, RecordKeys.hashed(ticket))).isPresent();
        assertThat(client.submitConsent(page, "allow").statusCode()).isEqualTo(303);
    }

    @Test
    void givenAConsentWithAnotherCsrfTokenOrFromAnotherOrigin_consent_isRefused() {
        HttpResponse<String> page = client.get(client.authorizeUrl(discovery, registered, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
        Map<String, String> fields = OAuthTestClient.hiddenFields(page.body());
        fields.put("decision", "allow");
        fields.put("csrf", "A".repeat(43));
        HttpResponse<String> wrongToken = client.postForm(server.url().resolve("/authorize/consent"), fields);

        HttpResponse<String> page2 = client.get(client.authorizeUrl(discovery, registered, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
        Map<String, String> fields2 = OAuthTestClient.hiddenFields(page2.body());
        fields2.put("decision", "allow");
        HttpResponse<String> crossSite = client.postForm(server.url().resolve("/authorize/consent"), fields2,
                "Origin", "https://evil.example");

        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(wrongToken.headers().firstValue("Location")).isEmpty();
    }

    /**
     * Under {@code Referrer-Policy: no-referrer} a real browser posts the consent form with
     * {@code Origin: null} even to its own origin, which the consent endpoint refuses: the page must
     * let the browser send its real origin to this server ({@code same-origin}), while the redirect
     * to Entra still sends no referrer at all.
     */
    @Test
    void givenTheConsentPage_itsReferrerPolicy_letsABrowserPostItsRealOriginAndTheRedirectToEntraSendsNoReferrer() {
        HttpResponse<String> page = client.get(client.authorizeUrl(discovery, registered, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
        URI consentUrl = page.uri().resolve("/authorize/consent");

        HttpResponse<String> allowed = client.submitConsent(page, "allow");

        assertThat(page.headers().allValues("Referrer-Policy")).containsExactly("same-origin");
        assertThat(OAuthTestClient.browserOrigin(page, consentUrl)).isEqualTo(server.issuer());
        assertThat(allowed.statusCode()).isEqualTo(303);
        assertThat(allowed.headers().firstValue("Location").orElseThrow()).startsWith(FakeUpstream.ORIGIN);
        assertThat(allowed.headers().allValues("Referrer-Policy")).containsExactly("no-referrer");
    }

    /**
     * {@code Origin: null} is refused. On this {@code localhost} server Micronaut's "drive-by
     * localhost" check answers first (an empty 403); the flow's own message, which a server on a
     * real host answers, is {@link ConsentOriginTest}'s.
     */
    @Test
    void givenAConsentPostedWithOriginNull_consent_isRefusedAndTheTicketStaysUnused() {
        HttpResponse<String> page = client.get(client.authorizeUrl(discovery, registered, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
        Map<String, String> fields = OAuthTestClient.hiddenFields(page.body());
        fields.put("decision", "allow");

        HttpResponse<String> opaque = client.postForm(server.url().resolve("/authorize/consent"), fields, "Origin", "null");

        assertThat(opaque.statusCode()).isEqualTo(403);
        assertThat(opaque.headers().firstValue("Location")).isEmpty();
        assertThat(opaque.body()).doesNotContain("Allow");
        assertThat(client.submitConsent(page, "allow").statusCode()).isEqualTo(303);
    }

    @Test
    void givenAConsentAlreadyAnswered_postingItAgain_isRefused() {
        HttpResponse<String> page = client.get(client.authorizeUrl(discovery, registered, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
        assertThat(client.submitConsent(page, "allow").statusCode()).isEqualTo(303);

        HttpResponse<String> again = client.submitConsent(page, "allow");

        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("expired or was already used");
    }

    @Test
    void givenTheUserDeclines_consent_sendsTheClientAccessDeniedWithItsState() {
        HttpResponse<String> page = client.get(client.authorizeUrl(discovery, registered, OAuthTestClient.Pkce.fresh(), "s-no", "User.Read"));

        HttpResponse<String> declined = client.submitConsent(page, "deny");

        assertThat(declined.statusCode()).isEqualTo(303);
        assertThat(OAuthTestClient.query(URI.create(declined.headers().firstValue("Location").orElseThrow())))
                .containsEntry("error", "access_denied").containsEntry("state", "s-no");
    }

    @Test
    void givenACallbackReplayedWithTheSameState_theSecondOne_isRefusedAndIssuesNoCode() {
        HttpResponse<String> page = client.get(client.authorizeUrl(discovery, registered, OAuthTestClient.Pkce.fresh(), "s", "User.Read"));
        URI signIn = URI.create(client.submitConsent(page, "allow").headers().firstValue("Location").orElseThrow());
        Map<String, String> posted = server.upstream().signIn(signIn, FacadeUsers.aUser("Gina"));
        HttpResponse<String> first = client.postForm(server.url().resolve("/auth/callback"), posted);

        HttpResponse<String> replay = client.postForm(server.url().resolve("/auth/callback"), posted);

        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.headers().firstValue("Location")).isEmpty();
        assertThat(replay.body()).contains("already completed");
    }

    @Test
    void givenACallbackWithAStateThisServerNeverIssued_callback_isRefused() {
        HttpResponse<String> forged = client.postForm(server.url().resolve("/auth/callback"),
                Map.of("code", "anything", "state", "B".repeat(43)));

        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void givenTheUpstreamRequest_itCarriesTheServersOwnStateNonceAndPkceNotTheClients() {
        OAuthTestClient.Pkce pkce = OAuthTestClient.Pkce.fresh();
        HttpResponse<String> page = client.get(client.authorizeUrl(discovery, registered, pkce, "client-state", "User.Read"));

        URI signIn = URI.create(client.submitConsent(page, "allow").headers().firstValue("Location").orElseThrow());

        var upstream = server.upstream().requestFor(signIn);
        assertThat(upstream.state()).isNotEqualTo("client-state").hasSize(43);
        assertThat(upstream.codeChallenge()).isNotEqualTo(pkce.challenge());
        assertThat(upstream.nonce()).hasSize(43);
        assertThat(upstream.redirectUri().toString()).isEqualTo(server.issuer() + "/auth/callback");
        assertThat(upstream.scopes()).contains("User.Read", "Mail.Send", "offline_access");
    }

    @Test
    void givenARefreshTokenUsedTwice_theReplay_revokesTheWholeFamilyAndTheUpstreamTokens() {
        CallerIdentity user = FacadeUsers.aUser("Hank");
        OAuthTestClient.Tokens first = client.signIn(discovery, registered, server.upstream(), user, "User.Read");
        JsonNode second = OAuthTestClient.json(client.refresh(discovery, registered, first.refreshToken()));
        assertThat(second.has("refresh_token")).isTrue();

        HttpResponse<String> replay = client.refresh(discovery, registered, first.refreshToken());

        assertThat(error(replay)).isEqualTo("invalid_grant");
        assertThat(OAuthTestClient.json(replay).path("error_description").asText()).contains("already used");
        assertThat(error(client.refresh(discovery, registered, second.path("refresh_token").asText()))).isEqualTo("invalid_grant");
        assertThat(server.mcp().raw().post("/mcp", second.path("access_token").asText(), RawMcp.INITIALIZE).statusCode()).isEqualTo(401);
        assertThat(server.bean(UpstreamTokenStorePort.class).load(user.principal())).isEmpty();
    }

    @Test
    void givenARefreshTokenOfAnotherClient_refresh_isRefusedWithoutRevokingAnything() {
        OAuthTestClient.Tokens tokens = client.signIn(discovery, registered, server.upstream(), FacadeUsers.aUser("Ivy"), "User.Read");
        OAuthTestClient.Client other = new OAuthTestClient(server.url()).registerPublicClient(discovery);

        HttpResponse<String> stolen = client.refresh(discovery, other, tokens.refreshToken());

        assertThat(error(stolen)).isEqualTo("invalid_grant");
        assertThat(client.refresh(discovery, registered, tokens.refreshToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void givenUserAsSessionAndUserBsToken_mcp_treatsTheSessionAsUnknown() {
        OAuthTestClient.Tokens alice = client.signIn(discovery, registered, server.upstream(), FacadeUsers.aUser("Ann"), "User.Read");
        OAuthTestClient.Tokens bob = client.signIn(discovery, registered, server.upstream(), FacadeUsers.aUser("Ben"), "User.Read");
        RawMcp mcp = server.mcp().raw();
        String alicesSession = mcp.initialize(alice.accessToken());

        HttpResponse<String> hijack = mcp.post("/mcp", bob.accessToken(), RawMcp.LIST_TOOLS, "Mcp-Session-Id", alicesSession);

        assertThat(hijack.statusCode()).isEqualTo(404);
        assertThat(hijack.body()).doesNotContain("get_user_profile");
        assertThat(mcp.post("/mcp", alice.accessToken(), RawMcp.LIST_TOOLS, "Mcp-Session-Id", alicesSession).statusCode()).isEqualTo(200);
    }

    /**
     * Checklist A12: in facade mode the MCP endpoints accept the facade's tokens only. An access
     * token Entra would issue for this API (right tenant, audience, scopes, signed with the
     * tenant's key) is refused with the challenge that sends the client to this server.
     */
    @Test
    void givenAnEntraTokenForThisApi_mcp_refusesItWith401AndTheChallenge() {
        String entraToken = server.mcp().tokenFor(TestCallers.alice());

        HttpResponse<String> refused = server.mcp().raw().post("/mcp", entraToken, RawMcp.INITIALIZE);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer ").contains("error=\"invalid_token\"")
                .contains("resource_metadata=\"" + discovery.resourceMetadataUrl() + "\"");
        assertThat(RawMcp.json(refused)).containsEntry("error", "invalid_token");
        RawMcp.assertNoStackTrace(refused.body());
    }

    @Test
    void givenARepeatedParameterOrAnotherMediaType_token_isRefusedAsInvalidRequest() {
        HttpResponse<String> repeated = client.post(discovery.endpoint("token_endpoint"), "application/x-www-form-urlencoded",
                "grant_type=refresh_token&grant_type=authorization_code&client_id=" + registered.clientId());
        HttpResponse<String> json = client.post(discovery.endpoint("token_endpoint"), "application/json",
                "{\"grant_type\":\"refresh_token\"}");
        HttpResponse<String> duplicated = client.get(URI.create(client.authorizeUrl(discovery, registered,
                OAuthTestClient.Pkce.fresh(), "s", "User.Read") + "&state=second"));

        assertThat(repeated.statusCode()).isEqualTo(400);
        assertThat(error(repeated)).isEqualTo("invalid_request");
        assertThat(error(json)).isEqualTo("invalid_request");
        assertThat(duplicated.statusCode()).isEqualTo(302);
        assertThat(OAuthTestClient.query(URI.create(duplicated.headers().firstValue("Location").orElseThrow())))
                .containsEntry("error", "invalid_request");
    }

    @Test
    void givenAnUnexpectedGrantType_token_answersUnsupportedGrantType() {
        HttpResponse<String> answer = client.postForm(discovery.endpoint("token_endpoint"),
                Map.of("grant_type", "password", "client_id", registered.clientId()));

        assertThat(error(answer)).isEqualTo("unsupported_grant_type");
    }
}
