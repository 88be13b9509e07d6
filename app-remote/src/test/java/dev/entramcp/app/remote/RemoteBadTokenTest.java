package dev.entramcp.app.remote;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.entramcp.emulator.EntraEmulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-token matrix against the assembled app and the emulator's real keys: every token that
 * is not a current Entra v2 access token for this server, issued by the configured tenant, is
 * refused with 401 {@code invalid_token} and a challenge saying why and where to start again
 * (RFC 6750 section 3, RFC 9728), before any MCP message is read; a token in the URL gets 400.
 * Every refusal leaves the server serving valid tokens.
 */
@ExtendWith(SharedRemoteDemo.class)
class RemoteBadTokenTest {

    private static final String OTHER_TENANT = "0badc0de-0000-4000-8000-000000000001";

    private final RemoteDemoApp app;

    RemoteBadTokenTest(RemoteDemoApp app) {
        this.app = app;
    }

    /** Posts {@code initialize} with the token and checks the exact refusal; then a valid token still works. */
    private void assertRefused(String token, String description) {
        HttpResponse<String> refused = app.post("/mcp", token, RemoteDemoApp.INITIALIZE);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(refused.headers().allValues("WWW-Authenticate")).containsExactly(
                "Bearer error=\"invalid_token\", error_description=\"" + description + "\", " + app.challengeTail());
        assertThat(refused.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(RemoteDemoApp.json(refused.body()))
                .containsExactlyInAnyOrderEntriesOf(Map.of("error", "invalid_token", "error_description", description));
        assertThat(refused.body()).doesNotContain(token);
        assertThat(app.post("/mcp", app.fullToken("alice"), RemoteDemoApp.INITIALIZE).statusCode())
                .as("the server still serves a valid token").isEqualTo(200);
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private String signed(Map<String, Object> claims) {
        return app.control().signJwt(claims);
    }

    @Test
    void givenNoToken_initialize_is401WithTheChallengeLeadingToTheMetadata() {
        HttpResponse<String> refused = app.post("/mcp", null, RemoteDemoApp.INITIALIZE);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().allValues("WWW-Authenticate")).containsExactly("Bearer " + app.challengeTail());
        assertThat(RemoteDemoApp.json(refused.body())).containsEntry("error", "unauthorized");
    }

    @Test
    void givenNoToken_everyMcpEndpoint_isRefusedWithTheSameChallenge() {
        List<HttpResponse<String>> refusals = List.of(
                app.get("/mcp", null, "Accept", "text/event-stream"),
                app.post("/mcp", null, "{}"),
                app.get("/sse", null, "Accept", "text/event-stream"),
                app.post("/message?sessionId=x", null, "{}"));

        assertThat(refusals).allSatisfy(refused -> {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().allValues("WWW-Authenticate")).containsExactly("Bearer " + app.challengeTail());
        });
    }

    @Test
    void givenAMalformedToken_initialize_isRefused() {
        assertRefused("not-a-token", "malformed token");
    }

    @Test
    void givenAnUnsignedToken_initialize_isRefused() {
        assertRefused(app.control().signJwt(Map.of("alg", "none"), app.claims("alice")), "unsigned tokens are not accepted");
    }

    @Test
    void givenHs256SignedWithTheTenantsPublicKey_initialize_isRefused() throws Exception {
        EntraEmulator emulator = app.emulator();
        HttpClient trusting = HttpClient.newBuilder().sslContext(emulator.sslContext()).build();
        String jwks = trusting.send(HttpRequest.newBuilder(emulator.jwksUri()).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String kid = app.control().currentSigningKeyId();
        byte[] publicKey = JWKSet.parse(jwks).getKeyByKeyId(kid).toRSAKey().toRSAPublicKey().getEncoded();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).type(JOSEObjectType.JWT).build(),
                JWTClaimsSet.parse(app.claims("alice")));
        forged.sign(new MACSigner(publicKey));

        assertRefused(forged.serialize(), "signing algorithm is not accepted");
    }

    @Test
    void givenAnUnknownKeyId_initialize_isRefused() {
        assertRefused(app.control().signJwt(Map.of("kid", "no-such-key"), app.claims("alice")), "signing key is not known");
    }

    @Test
    void givenNoKeyId_initialize_isRefused() {
        Map<String, Object> header = new HashMap<>();
        header.put("kid", null);

        assertRefused(app.control().signJwt(header, app.claims("alice")), "token has no key id (kid)");
    }

    @Test
    void givenATamperedPayload_initialize_isRefused() {
        String[] parts = app.fullToken("alice").split("\\.");
        Map<String, Object> claims = app.claims("alice");
        claims.put("roles", List.of("Mail.Sender"));
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims).getBytes(StandardCharsets.UTF_8));

        assertRefused(parts[0] + "." + payload + "." + parts[2], "signature is invalid");
    }

    @Test
    void givenAnExpiredToken_initialize_isRefused() {
        Map<String, Object> claims = app.claims("alice");
        claims.put("iat", now() - 7200);
        claims.put("nbf", now() - 7200);
        claims.put("exp", now() - 600);

        assertRefused(signed(claims), "token has expired");
    }

    @Test
    void givenATokenNotValidBeforeTheFuture_initialize_isRefused() {
        Map<String, Object> claims = app.claims("alice");
        claims.put("nbf", now() + 600);
        claims.put("exp", now() + 4200);

        assertRefused(signed(claims), "token is not yet valid");
    }

    @Test
    void givenAnotherIssuer_initialize_isRefused() {
        Map<String, Object> claims = app.claims("alice");
        claims.put("iss", "https://login.example.net/" + app.emulator().tenantId() + "/v2.0");

        assertRefused(signed(claims), "issuer is not trusted");
    }

    @Test
    void givenATenantNotOnTheAllowList_initialize_isRefused() {
        Map<String, Object> claims = app.claims("alice");
        claims.put("tid", OTHER_TENANT);
        claims.put("iss", app.emulator().baseUrl() + "/" + OTHER_TENANT + "/v2.0");

        assertRefused(signed(claims), "tenant is not allowed");
    }

    @Test
    void givenAnotherAudience_initialize_isRefused() {
        Map<String, Object> claims = app.claims("alice");
        claims.put("aud", "api://another-api");

        assertRefused(signed(claims), "audience is not this server");
    }

    @Test
    void givenAGraphTokenPassedThrough_initialize_isRefusedSayingSo() {
        String graphToken = app.control().issueAccessToken("alice", app.demoClientId(), "https://graph.microsoft.com/User.Read");

        assertRefused(graphToken, "audience is Microsoft Graph, not this server: request a token for this server's scopes");
    }

    @Test
    void givenAV1Token_initialize_isRefusedWithTheManifestFix() {
        Map<String, Object> claims = app.claims("alice");
        claims.put("ver", "1.0");
        claims.put("iss", "https://sts.windows.net/" + app.emulator().tenantId() + "/");
        claims.put("aud", app.api().appIdUri());

        assertRefused(signed(claims), "v1.0 tokens are not accepted: set requestedAccessTokenVersion: 2 in the API app manifest");
    }

    @Test
    void givenAnIdTokenWithoutAzp_initialize_isRefused() {
        Map<String, Object> claims = app.claims("alice");
        claims.remove("azp");

        assertRefused(signed(claims), "required claim missing: azp");
    }

    @Test
    void givenATokenSignedByAnotherEmulatorsKey_initialize_isRefusedWhateverKeyIdItClaims() {
        try (EntraEmulator foreign = EntraEmulator.builder().tenantId(app.emulator().tenantId()).build().start()) {
            Map<String, Object> ourClaims = app.claims("alice");

            assertRefused(foreign.control().signJwt(ourClaims), "signing key is not known");
            assertRefused(foreign.control().signJwt(Map.of("kid", app.control().currentSigningKeyId()), ourClaims),
                    "signature is invalid");
        }
    }

    @Test
    void givenAValidTokenInTheQueryString_anyRequest_is400InvalidRequestEvenWithAValidHeader() {
        String token = app.fullToken("alice");
        String description = "access tokens are accepted only in the Authorization header, never in the URL";

        HttpResponse<String> inQuery = app.get("/mcp?access_token=" + token, null, "Accept", "text/event-stream");
        HttpResponse<String> inQueryAndHeader = app.post("/mcp?access_token=" + token, token, RemoteDemoApp.INITIALIZE);

        assertThat(List.of(inQuery, inQueryAndHeader)).allSatisfy(refused -> {
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.headers().allValues("WWW-Authenticate")).containsExactly(
                    "Bearer error=\"invalid_request\", error_description=\"" + description + "\", " + app.challengeTail());
            assertThat(RemoteDemoApp.json(refused.body()))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("error", "invalid_request", "error_description", description));
        });
    }
}
