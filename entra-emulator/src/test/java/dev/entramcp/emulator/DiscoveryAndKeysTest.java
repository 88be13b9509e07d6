package dev.entramcp.emulator;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.ByteArrayInputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Discovery, the JWKS and key rotation, verified the way a relying party does it (nimbus), and the TLS trust. */
class DiscoveryAndKeysTest {

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
    void givenTheTenant_openIdConfiguration_describesEntrasV2Endpoints() {
        Map<String, Object> doc = http.get(emu.openIdConfigurationUri().toString()).json();

        assertThat(doc).containsEntry("issuer", emu.issuer().toString())
                .containsEntry("authorization_endpoint", emu.authorizationEndpoint().toString())
                .containsEntry("token_endpoint", emu.tokenEndpoint().toString())
                .containsEntry("device_authorization_endpoint", emu.deviceCodeEndpoint().toString())
                .containsEntry("jwks_uri", emu.jwksUri().toString())
                .containsEntry("code_challenge_methods_supported", List.of("S256"))
                .containsEntry("id_token_signing_alg_values_supported", List.of("RS256"));
        assertThat(doc.get("response_modes_supported")).isEqualTo(List.of("query", "form_post"));
    }

    @Test
    void givenTheCommonAlias_openIdConfiguration_hasAnIssuerTemplateLikeEntra() {
        Map<String, Object> doc = http.get(emu.baseUrl() + "/common/v2.0/.well-known/openid-configuration").json();

        assertThat(doc).containsEntry("issuer", emu.baseUrl() + "/{tenantid}/v2.0")
                .containsEntry("token_endpoint", emu.baseUrl() + "/common/oauth2/v2.0/token");
    }

    @Test
    void givenAnIssuedToken_nimbus_verifiesItAgainstTheServedJwks() throws Exception {
        String token = emu.control().issueAccessToken("bob", emu.apps().demo().clientId(),
                emu.apps().remote().appIdUri() + "/Mail.Send");

        JWTClaimsSet claims = processor(emu, fetchJwks(), emu.apps().remote().clientId()).process(token, null);

        assertThat(claims.getIssuer()).isEqualTo(emu.issuer().toString());
        assertThat(claims.getStringClaim("scp")).isEqualTo("Mail.Send");
        assertThat(claims.getStringListClaim("roles")).containsExactly("Mail.Sender");
        assertThat(claims.getStringClaim("tid")).isEqualTo(emu.tenantId());
    }

    @Test
    void givenAKeyRotation_tokensOfBothKeysVerifyUntilTheGracePeriodEnds() throws Exception {
        MutableClock clock = new MutableClock();
        try (EntraEmulator rotating = EntraEmulator.builder().clock(clock).signingKeyGracePeriod(Duration.ofHours(1))
                .build().start()) {
            TestHttp client = new TestHttp(rotating);
            String before = rotating.control().issueAccessToken("alice", rotating.apps().local().clientId(),
                    "User.Read");
            String oldKid = rotating.control().currentSigningKeyId();

            String newKid = rotating.control().rotateSigningKey();
            String after = rotating.control().issueAccessToken("alice", rotating.apps().local().clientId(),
                    "User.Read");
            JWKSet during = JWKSet.parse(client.get(rotating.jwksUri().toString()).body());

            assertThat(newKid).isNotEqualTo(oldKid);
            assertThat(com.nimbusds.jwt.SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(newKid);
            assertThat(during.getKeys()).extracting(k -> k.getKeyID()).containsExactly(newKid, oldKid);
            assertThat(processor(rotating, during, EntraEmulator.GRAPH_APP_ID).process(before, null).getSubject())
                    .isNotBlank();
            assertThat(processor(rotating, during, EntraEmulator.GRAPH_APP_ID).process(after, null).getSubject())
                    .isNotBlank();

            clock.advance(Duration.ofHours(1).plusSeconds(1));
            JWKSet afterGrace = JWKSet.parse(client.get(rotating.jwksUri().toString()).body());

            assertThat(afterGrace.getKeys()).extracting(k -> k.getKeyID()).containsExactly(newKid);
            assertThatExceptionOfType(BadJOSEException.class).isThrownBy(() ->
                    processor(rotating, afterGrace, EntraEmulator.GRAPH_APP_ID).process(before, null))
                    .withMessageContaining("matching key");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenTheJwks_keys_areRs256SigningKeysWithKidAndIssuer() {
        Map<String, Object> jwks = http.get(emu.jwksUri().toString()).json();

        assertThat((List<Object>) jwks.get("keys")).isNotEmpty().allSatisfy(key -> assertThat((Map<String, Object>) key)
                .containsEntry("kty", "RSA").containsEntry("use", "sig").containsEntry("issuer", emu.issuer().toString())
                .containsKeys("kid", "n", "e").doesNotContainKeys("d", "p", "q"));
    }

    @Test
    void givenTheDescription_itListsAppsAndUsersButNoSecret() {
        TestHttp.Response response = http.get(emu.baseUrl() + "/.well-known/entra-emulator");

        assertThat(response.body()).doesNotContain(emu.apps().remote().clientSecret()).doesNotContain("clientSecret");
        assertThat(response.json()).containsEntry("tenantId", emu.tenantId())
                .containsEntry("graphBaseUrl", emu.graphBaseUrl().toString())
                .containsEntry("warning", EntraEmulator.WARNING);
    }

    @Test
    void givenAnUnknownPath_emulator_answersANotFoundJson() {
        TestHttp.Response response = http.get(emu.baseUrl() + "/" + emu.tenantId() + "/oauth2/v1/token");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json()).containsEntry("error", "not_found");
    }

    @Test
    void givenTheTrustMaterial_tlsVerifiesLocalhostAndLoopbackAndNothingElseTrustsIt() throws Exception {
        HttpClient trusting = HttpClient.newBuilder().sslContext(emu.sslContext()).build();
        HttpClient defaultTrust = HttpClient.newHttpClient();

        int byName = trusting.send(HttpRequest.newBuilder(emu.jwksUri()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        int byAddress = trusting.send(HttpRequest.newBuilder(URI.create(emu.jwksUri().toString()
                .replace("localhost", "127.0.0.1"))).build(), HttpResponse.BodyHandlers.discarding()).statusCode();

        assertThat(byName).isEqualTo(200);
        assertThat(byAddress).isEqualTo(200);
        assertThatExceptionOfType(SSLHandshakeException.class).isThrownBy(() -> defaultTrust.send(
                HttpRequest.newBuilder(emu.jwksUri()).build(), HttpResponse.BodyHandlers.discarding()));
        var fromPem = CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(emu.trustPem())));
        assertThat(fromPem).isEqualTo(emu.trustedCertificate());
        assertThat(emu.trustedCertificate().getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                .contains("localhost", "127.0.0.1");
    }

    @Test
    void givenAClosedEmulator_itStopsServingAndDeletesItsPem() {
        EntraEmulator other = EntraEmulator.start();
        URI jwks = other.jwksUri();
        HttpClient client = HttpClient.newBuilder().sslContext(other.sslContext()).build();

        other.close();

        assertThat(other.trustPem()).doesNotExist();
        assertThatExceptionOfType(ConnectException.class).isThrownBy(() ->
                client.send(HttpRequest.newBuilder(jwks).build(), HttpResponse.BodyHandlers.discarding()));
    }

    private static JWKSet fetchJwks() throws Exception {
        return JWKSet.parse(http.get(emu.jwksUri().toString()).body());
    }

    /** What a relying party configures: RS256 only, keys from the JWKS, exact issuer and audience, required claims. */
    private static DefaultJWTProcessor<SecurityContext> processor(EntraEmulator emulator, JWKSet keys, String audience) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(keys)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(emulator.issuer().toString()).build(),
                Set.of("exp", "iat", "nbf", "sub", "oid", "tid")));
        return processor;
    }
}
