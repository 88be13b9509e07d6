package dev.entramcp.adapter.entra;

import dev.entramcp.domain.fixtures.Callers;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An independent OAuth server standing in for Entra: no.nav mock-oauth2-server over HTTPS on
 * loopback, with Entra-shaped claims ({@code oid}, {@code tid}, {@code name},
 * {@code preferred_username}, {@code roles}, {@code scp}) for the tenant's issuer
 * ({@code /{tenant}/oauth2/v2.0}), which msal4j reaches with Entra's URL layout.
 */
final class EntraMock implements AutoCloseable {

    static final String TENANT = Callers.TENANT;
    static final String ISSUER_ID = TENANT + "/oauth2/v2.0";
    static final String ALICE = Callers.ALICE_OID;

    private final MockOAuth2Server server;

    private EntraMock(boolean rotateRefreshTokens, long accessTokenSeconds) {
        OAuth2TokenCallback alice = new DefaultOAuth2TokenCallback(ISSUER_ID, ALICE, "JWT", null, aliceClaims(), accessTokenSeconds);
        OAuth2Config config = new OAuth2Config(false, null, null, rotateRefreshTokens, new OAuth2TokenProvider(),
                Set.of(alice), new MockWebServerWrapper(LoopbackTls.get().ssl()));
        server = new MockOAuth2Server(config);
        server.start();
    }

    /** Tokens valid for an hour, refresh tokens not rotated. */
    static EntraMock start() {
        return new EntraMock(false, 3600);
    }

    /**
     * Access tokens of 60 s, which msal4j treats as already expired (it refreshes 5 minutes early),
     * so every silent call refreshes; refresh tokens rotated.
     */
    static EntraMock startWithShortLivedTokensAndRotation() {
        return new EntraMock(true, 60);
    }

    static Map<String, Object> aliceClaims() {
        return aliceClaims(List.of("Mail.Sender"));
    }

    static Map<String, Object> aliceClaims(List<String> roles) {
        return Map.of("oid", ALICE, "tid", TENANT, "name", "Alice", "preferred_username", "alice@contoso.example",
                "roles", roles, "ver", "2.0", "scp", "User.Read Mail.Send");
    }

    /**
     * The next token response (a refresh, say) describes Alice with these app roles, as Entra does
     * once an administrator changed her role assignments.
     */
    void nextTokensWithRoles(List<String> roles) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, ALICE, "JWT", null, aliceClaims(roles), 3600));
    }

    EntraAuthority authority() {
        return EntraAuthority.local(URI.create("https://localhost:" + server.url("/").port()), TENANT);
    }

    /** A user access token for the server's API, as a client would bring it (the OBO assertion). */
    String inboundUserToken(String objectId, String audience) {
        return server.issueToken(ISSUER_ID, objectId, audience,
                Map.of("oid", objectId, "tid", TENANT, "scp", "access_as_user", "ver", "2.0"), 3600).serialize();
    }

    /**
     * A user access token for the server's API issued by another tenant (a multi-tenant caller):
     * mock-oauth2-server gives that tenant's issuer ({@code /{tenant}/oauth2/v2.0}) its own key and URL.
     */
    String inboundUserTokenOfTenant(String tenant, String objectId, String audience) {
        return server.issueToken(tenant + "/oauth2/v2.0", objectId, audience,
                Map.of("oid", objectId, "tid", tenant, "scp", "access_as_user", "ver", "2.0"), 3600).serialize();
    }

    /** Revokes a refresh token at the server (RFC 7009), so that its next use fails. */
    void revoke(String refreshToken) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(LoopbackTls.get().clientContext()).build();
        String form = "token=" + java.net.URLEncoder.encode(refreshToken, StandardCharsets.UTF_8) + "&token_type_hint=refresh_token";
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(server.revocationEndpointUrl(ISSUER_ID).toString()))
                        .timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("revocation failed: HTTP " + answer.statusCode());
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
