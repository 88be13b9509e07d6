package dev.entramcp.emulator;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Graph's {@code /me} and {@code /me/sendMail}: what they accept, what they refuse, and in which format. */
class GraphApiTest {

    private static final String MAIL = "{\"message\":{\"subject\":\"Report\",\"body\":{\"contentType\":\"HTML\","
            + "\"content\":\"<p>Done</p>\"},\"toRecipients\":[{\"emailAddress\":{\"address\":\"dan@example.test\"}}],"
            + "\"ccRecipients\":[{\"emailAddress\":{\"address\":\"eve@example.test\"}}]},\"saveToSentItems\":false}";

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

    @BeforeEach
    void reset() {
        emu.control().clearRecords();
        emu.control().failGraph(0, 429, null);
    }

    @Test
    void givenUserRead_me_returnsTheSignedInUser() {
        TestHttp.Response response = http.get(me(""), bearer(token("alice", "User.Read")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).containsEntry("displayName", "Alice Adams").containsEntry("givenName", "Alice")
                .containsEntry("surname", "Adams").containsEntry("mail", "alice@entra-emulator.test")
                .containsEntry("userPrincipalName", "alice@entra-emulator.test")
                .containsEntry("id", emu.user("alice").objectId())
                .containsEntry("@odata.context", emu.graphBaseUrl() + "/$metadata#users/$entity");
    }

    @Test
    void givenSelect_me_returnsOnlyTheSelectedProperties() {
        TestHttp.Response response = http.get(me("?$select=displayName,mail"), bearer(token("bob", "User.Read")));

        assertThat(response.json()).containsOnlyKeys("@odata.context", "displayName", "mail")
                .containsEntry("@odata.context", emu.graphBaseUrl() + "/$metadata#users(displayName,mail)/$entity")
                .containsEntry("mail", "bob@entra-emulator.test");
    }

    @Test
    void givenAnUnknownSelectedProperty_me_answersBadRequest() {
        TestHttp.Response response = http.get(me("?$select=shoeSize"), bearer(token("bob", "User.Read")));

        assertGraphError(response, 400, "BadRequest");
        assertThat(graphMessage(response)).contains("'shoeSize'");
    }

    @Test
    void givenMailSend_sendMail_landsInTheOutbox() {
        TestHttp.Response response = http.postJson(sendMail(), MAIL, bearer(token("bob", "Mail.Send")));

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.body()).isEmpty();
        assertThat(emu.control().outbox()).singleElement().satisfies(mail -> {
            assertThat(mail.senderObjectId()).isEqualTo(emu.user("bob").objectId());
            assertThat(mail.clientId()).isEqualTo(emu.apps().local().clientId());
            assertThat(mail.to()).containsExactly("dan@example.test");
            assertThat(mail.cc()).containsExactly("eve@example.test");
            assertThat(mail.subject()).isEqualTo("Report");
            assertThat(mail.contentType()).isEqualTo("HTML");
            assertThat(mail.body()).isEqualTo("<p>Done</p>");
        });
    }

    @Test
    void givenOnlyUserRead_sendMail_isForbiddenAndNothingIsSent() {
        TestHttp.Response response = http.postJson(sendMail(), MAIL, bearer(token("bob", "User.Read")));

        assertGraphError(response, 403, "Authorization_RequestDenied");
        assertThat(emu.control().outbox()).isEmpty();
    }

    @Test
    void givenOnlyMailSend_me_isForbidden() {
        assertGraphError(http.get(me(""), bearer(token("alice", "Mail.Send"))), 403, "Authorization_RequestDenied");
    }

    @Test
    void givenATokenForAnotherAudience_graph_answersInvalidAuthenticationToken() {
        String forTheRemoteApi = emu.control().issueAccessToken("alice", emu.apps().demo().clientId(),
                emu.apps().remote().appIdUri() + "/User.Read");

        TestHttp.Response me = http.get(me(""), bearer(forTheRemoteApi));
        TestHttp.Response send = http.postJson(sendMail(), MAIL, bearer(forTheRemoteApi));

        assertGraphError(me, 401, "InvalidAuthenticationToken");
        assertThat(graphMessage(me)).contains("Invalid audience");
        assertGraphError(send, 401, "InvalidAuthenticationToken");
        assertThat(me.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer ")
                .contains("client_id=\"" + EntraEmulator.GRAPH_APP_ID + "\""));
        assertThat(emu.control().outbox()).isEmpty();
    }

    @Test
    void givenNoToken_graph_answersAccessTokenIsEmpty() {
        TestHttp.Response response = http.get(me(""));

        assertGraphError(response, 401, "InvalidAuthenticationToken");
        assertThat(graphMessage(response)).isEqualTo("Access token is empty.");
    }

    @Test
    void givenAnExpiredToken_graph_answersLifetimeValidationFailed() {
        Map<String, Object> claims = emu.control().accessTokenClaims("alice", emu.apps().local().clientId(),
                "User.Read");
        claims.put("exp", Instant.now().minusSeconds(1).getEpochSecond());

        TestHttp.Response response = http.get(me(""), bearer(emu.control().signJwt(claims)));

        assertGraphError(response, 401, "InvalidAuthenticationToken");
        assertThat(graphMessage(response)).contains("Lifetime validation failed");
    }

    @Test
    void givenATokenNotYetValid_graph_refusesIt() {
        Map<String, Object> claims = emu.control().accessTokenClaims("alice", emu.apps().local().clientId(),
                "User.Read");
        claims.put("nbf", Instant.now().plus(Duration.ofMinutes(10)).getEpochSecond());

        assertGraphError(http.get(me(""), bearer(emu.control().signJwt(claims))), 401, "InvalidAuthenticationToken");
    }

    @Test
    void givenAForeignTenant_graph_refusesTheToken() {
        Map<String, Object> claims = emu.control().accessTokenClaims("alice", emu.apps().local().clientId(),
                "User.Read");
        claims.put("tid", "72f988bf-86f1-41af-91ab-2d7cd011db47");

        assertGraphError(http.get(me(""), bearer(emu.control().signJwt(claims))), 401, "InvalidAuthenticationToken");
    }

    @Test
    void givenAnUnsignedToken_graph_refusesIt() {
        Map<String, Object> claims = emu.control().accessTokenClaims("alice", emu.apps().local().clientId(),
                "User.Read");

        TestHttp.Response response = http.get(me(""), bearer(emu.control().signJwt(Map.of("alg", "none"), claims)));

        assertGraphError(response, 401, "InvalidAuthenticationToken");
    }

    @Test
    void givenATokenSignedByAnotherKeyUnderTheEmulatorsKid_graph_refusesIt() throws Exception {
        Map<String, Object> claims = emu.control().accessTokenClaims("alice", emu.apps().local().clientId(),
                "User.Read");
        JWSObject forged = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(emu.control().currentSigningKeyId()).build(), new Payload(claims));
        forged.sign(new RSASSASigner(Fixtures.rsaKeyPair().getPrivate()));

        TestHttp.Response response = http.get(me(""), bearer(forged.serialize()));

        assertGraphError(response, 401, "InvalidAuthenticationToken");
        assertThat(graphMessage(response)).contains("Invalid signature");
    }

    @Test
    void givenAnAppOnlyToken_me_answersThatMeNeedsADelegatedToken() {
        String appToken = emu.control().issueAppToken(emu.apps().remote().clientId(), EntraEmulator.GRAPH_RESOURCE);

        TestHttp.Response response = http.get(me(""), bearer(appToken));

        assertGraphError(response, 400, "BadRequest");
        assertThat(graphMessage(response)).contains("delegated");
    }

    @Test
    void givenThrottling_graph_answers429WithRetryAfterThenRecovers() {
        emu.control().failGraph(2, 429, Duration.ofMillis(2500));
        String token = token("alice", "User.Read");

        TestHttp.Response first = http.get(me(""), bearer(token));
        TestHttp.Response second = http.get(me(""), bearer(token));
        TestHttp.Response third = http.get(me(""), bearer(token));

        assertGraphError(first, 429, "TooManyRequests");
        assertThat(first.header("Retry-After")).contains("3");
        assertGraphError(second, 429, "TooManyRequests");
        assertThat(third.status()).isEqualTo(200);
    }

    @Test
    void givenThrottlingWithoutADelay_graph_answers429WithRetryAfterOneSecond() {
        emu.control().failGraph(1, 429, null);

        TestHttp.Response response = http.get(me(""), bearer(token("alice", "User.Read")));

        assertGraphError(response, 429, "TooManyRequests");
        assertThat(response.header("Retry-After")).contains("1");
    }

    @Test
    void givenAnOutage_graph_answers503() {
        emu.control().failGraph(1, 503, null);

        TestHttp.Response response = http.postJson(sendMail(), MAIL, bearer(token("bob", "Mail.Send")));

        assertGraphError(response, 503, "ServiceUnavailable");
        assertThat(response.header("Retry-After")).isEmpty();
        assertThat(emu.control().outbox()).isEmpty();
    }

    @Test
    void givenAMessageWithoutRecipients_sendMail_answersErrorInvalidRecipients() {
        TestHttp.Response response = http.postJson(sendMail(), "{\"message\":{\"subject\":\"x\"}}",
                bearer(token("bob", "Mail.Send")));

        assertGraphError(response, 400, "ErrorInvalidRecipients");
    }

    @Test
    void givenBrokenJson_sendMail_answersBadRequest() {
        assertGraphError(http.postJson(sendMail(), "{\"message\":", bearer(token("bob", "Mail.Send"))), 400,
                "BadRequest");
    }

    @Test
    void givenAFormBody_sendMail_answersUnsupportedMediaType() {
        TestHttp.Response response = http.postForm(sendMail(), Map.of("message", "hi"),
                bearer(token("bob", "Mail.Send")));

        assertGraphError(response, 415, "UnsupportedMediaType");
    }

    @Test
    void givenAnyCall_graphRequests_recordsItWithoutPrintingTheToken() {
        String token = token("alice", "User.Read");

        http.get(me("?$select=mail"), bearer(token));

        assertThat(emu.control().graphRequests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.path()).isEqualTo("/graph/v1.0/me?$select=mail");
            assertThat(request.status()).isEqualTo(200);
            assertThat(request.bearerToken()).contains(token);
            assertThat(request.claim("azp")).contains(emu.apps().local().clientId());
            assertThat(request.toString()).doesNotContain(token).contains("(redacted)");
        });
    }

    @Test
    void givenAnUnknownPath_graph_answersBadRequest() {
        assertGraphError(http.get(emu.graphBaseUrl() + "/users", bearer(token("alice", "User.Read"))), 400,
                "BadRequest");
    }

    private static String token(String user, String scope) {
        return emu.control().issueAccessToken(user, emu.apps().local().clientId(), scope);
    }

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private static String me(String query) {
        return emu.graphBaseUrl() + "/me" + query;
    }

    private static String sendMail() {
        return emu.graphBaseUrl() + "/me/sendMail";
    }

    @SuppressWarnings("unchecked")
    private static String graphMessage(TestHttp.Response response) {
        return (String) ((Map<String, Object>) response.json().get("error")).get("message");
    }

    @SuppressWarnings("unchecked")
    private static void assertGraphError(TestHttp.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        Map<String, Object> error = (Map<String, Object>) response.json().get("error");
        assertThat(error).containsEntry("code", code).containsKey("message");
        assertThat((Map<String, Object>) error.get("innerError")).containsKeys("date", "request-id");
    }
}
