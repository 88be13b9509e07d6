package dev.entramcp.adapter.http.auth;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.entramcp.adapter.http.support.MutableClock;
import dev.entramcp.adapter.http.support.TestTokens;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.CallerKind;
import dev.entramcp.domain.model.PrincipalId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.entramcp.adapter.http.support.TestTokens.API_CLIENT_ID;
import static dev.entramcp.adapter.http.support.TestTokens.APP_ID_URI;
import static dev.entramcp.adapter.http.support.TestTokens.FOREIGN_KEY;
import static dev.entramcp.adapter.http.support.TestTokens.FOREIGN_KEY_SAME_KID;
import static dev.entramcp.adapter.http.support.TestTokens.FOREIGN_TENANT;
import static dev.entramcp.adapter.http.support.TestTokens.OTHER_ALLOWED_TENANT;
import static dev.entramcp.adapter.http.support.TestTokens.TENANT;
import static dev.entramcp.adapter.http.support.TestTokens.TENANT_KEY;
import static dev.entramcp.adapter.http.support.TestTokens.aUserToken;
import static dev.entramcp.adapter.http.support.TestTokens.anAppToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BearerTokenVerifierTest {

    private static final String AUTHORITY = "https://login.microsoftonline.com";

    private final MutableClock clock = MutableClock.atNow();
    private final AtomicReference<SigningKeys> currentKeys =
            new AtomicReference<>(SigningKeys.of(TestTokens.publicSet(TENANT_KEY)));
    private final SigningKeys keys = keyId -> currentKeys.get().find(keyId);
    private final BearerTokenVerifier verifier = verifier(10);

    private BearerTokenVerifier verifier(int cacheSize) {
        return new BearerTokenVerifier(List.of(entra(TENANT), entra(OTHER_ALLOWED_TENANT)), Duration.ofSeconds(60),
                clock, cacheSize);
    }

    private TrustedIssuer entra(String tenant) {
        return TrustedIssuer.entraTenant(URI.create(AUTHORITY), tenant, Set.of(API_CLIENT_ID, APP_ID_URI),
                Set.of(JWSAlgorithm.RS256), keys);
    }

    @Test
    void givenAliceDelegatedToken_verify_returnsHerAsUserWithScopesAndTheTokenAsAssertion() {
        String token = aUserToken(AUTHORITY).with("roles", List.of("Mail.Sender")).signedWith(TENANT_KEY);

        TokenVerification outcome = verifier.verify(token);

        assertThat(outcome).isInstanceOf(TokenVerification.Verified.class);
        TokenVerification.Verified verified = (TokenVerification.Verified) outcome;
        CallerIdentity caller = verified.caller();
        assertThat(caller.principal()).isEqualTo(PrincipalId.of(TENANT, Callers.ALICE_OID));
        assertThat(caller.kind()).isEqualTo(CallerKind.USER);
        assertThat(caller.username()).isEqualTo("alice@contoso.example");
        assertThat(caller.displayName()).isEqualTo("Alice");
        assertThat(caller.clientAppId()).isEqualTo(Callers.CLIENT_APP);
        assertThat(caller.scopes()).containsExactly("Mail.Send", "User.Read");
        assertThat(caller.roles()).containsExactly("Mail.Sender");
        assertThat(caller.assertion()).hasValueSatisfying(assertion -> assertThat(assertion.value()).isEqualTo(token));
        assertThat(caller.toString()).doesNotContain(token);
        assertThat(verified.issuer()).isEqualTo(AUTHORITY + "/" + TENANT + "/v2.0");
    }

    @Test
    void givenAnAppOnlyTokenWithIdtypApp_verify_returnsAnApplicationWithRolesAndNoAssertion() {
        String token = anAppToken(AUTHORITY).with("idtyp", "app").signedWith(TENANT_KEY);

        CallerIdentity caller = verifiedCaller(token);

        assertThat(caller.kind()).isEqualTo(CallerKind.APPLICATION);
        assertThat(caller.principal().objectId()).isEqualTo(TestTokens.DAEMON_OID);
        assertThat(caller.roles()).containsExactly("Mail.Sender");
        assertThat(caller.scopes()).isEmpty();
        assertThat(caller.assertion()).isEmpty();
    }

    @Test
    void givenAnAppOnlyTokenWithoutIdtyp_verify_recognisesItByRolesWithoutScpAndOidEqualToSub() {
        String token = anAppToken(AUTHORITY).signedWith(TENANT_KEY);

        CallerIdentity caller = verifiedCaller(token);

        assertThat(caller.kind()).isEqualTo(CallerKind.APPLICATION);
    }

    @Test
    void givenAUserTokenWithIdtypUser_verify_returnsAUser() {
        String token = aUserToken(AUTHORITY).with("idtyp", "user").signedWith(TENANT_KEY);

        assertThat(verifiedCaller(token).kind()).isEqualTo(CallerKind.USER);
    }

    @Test
    void givenAnEmptyScpAndAnAppRoleButSubDifferentFromOid_verify_refusesRatherThanGuessing() {
        String token = aUserToken(AUTHORITY).without("scp").with("roles", List.of("Mail.Sender")).signedWith(TENANT_KEY);

        assertThat(verifier.verify(token)).isEqualTo(BearerTokenVerifier.NO_GRANT);
    }

    @Test
    void givenNeitherScpNorRoles_verify_refuses() {
        String token = anAppToken(AUTHORITY).without("roles").signedWith(TENANT_KEY);

        assertThat(verifier.verify(token)).isEqualTo(BearerTokenVerifier.NO_GRANT);
    }

    @Test
    void givenIdtypAppWithScopes_verify_refusesTheContradiction() {
        String token = aUserToken(AUTHORITY).with("idtyp", "app").signedWith(TENANT_KEY);

        assertThat(verifier.verify(token)).isEqualTo(BearerTokenVerifier.KIND_CONFLICT);
    }

    @Test
    void givenIdtypUserWithoutScopes_verify_refusesTheContradiction() {
        String token = anAppToken(AUTHORITY).with("idtyp", "user").signedWith(TENANT_KEY);

        assertThat(verifier.verify(token)).isEqualTo(BearerTokenVerifier.KIND_CONFLICT);
    }

    @Test
    void givenAnIdTokenForTheApi_verify_refusesItForLackOfAzp() {
        String idToken = aUserToken(AUTHORITY).without("azp").without("azpacr").without("scp")
                .with("nonce", "n-0S6_WzA2Mj").signedWith(TENANT_KEY);

        assertThat(verifier.verify(idToken)).isEqualTo(new TokenVerification.Rejected("required claim missing: azp"));
    }

    @Test
    void givenATokenOfAnotherAllowedTenant_verify_acceptsIt() {
        String token = aUserToken(AUTHORITY).forTenant(AUTHORITY, OTHER_ALLOWED_TENANT).signedWith(TENANT_KEY);

        assertThat(verifiedCaller(token).principal().tenantId()).isEqualTo(OTHER_ALLOWED_TENANT);
    }

    @Test
    void givenTheAppIdUriAsAudience_verify_acceptsIt() {
        String token = aUserToken(AUTHORITY).with("aud", APP_ID_URI).signedWith(TENANT_KEY);

        assertThat(verifier.verify(token)).isInstanceOf(TokenVerification.Verified.class);
    }

    @Test
    void givenExpAndNbfJustWithinTheSkew_verify_acceptsIt() {
        Instant now = clock.instant();
        String expiredWithinSkew = aUserToken(AUTHORITY).expiringAt(now.minusSeconds(30)).signedWith(TENANT_KEY);
        String notBeforeWithinSkew = aUserToken(AUTHORITY).with("nbf", now.plusSeconds(30)).signedWith(TENANT_KEY);

        assertThat(verifier.verify(expiredWithinSkew)).isInstanceOf(TokenVerification.Verified.class);
        assertThat(verifier.verify(notBeforeWithinSkew)).isInstanceOf(TokenVerification.Verified.class);
    }

    static Stream<Arguments> badTokens() {
        Instant now = Instant.now();
        String valid = aUserToken(AUTHORITY).signedWith(TENANT_KEY);
        return Stream.of(
                bad("empty", "", BearerTokenVerifier.MALFORMED),
                bad("not a JWT", "not-a-jwt", BearerTokenVerifier.MALFORMED),
                bad("three garbage parts", "abc.def.ghi", BearerTokenVerifier.MALFORMED),
                bad("non-base64url characters", valid + "=", BearerTokenVerifier.MALFORMED),
                bad("a Latin-1 letter", valid.replaceFirst("\\.", "\u00e9."), BearerTokenVerifier.MALFORMED),
                bad("a character beyond Latin-1", valid.replaceFirst("\\.", "\u0100."), BearerTokenVerifier.MALFORMED),
                bad("a question mark", valid.replaceFirst("\\.", "?."), BearerTokenVerifier.MALFORMED),
                bad("oversized", "a".repeat(BearerTokenVerifier.MAX_TOKEN_LENGTH + 1), BearerTokenVerifier.MALFORMED),
                bad("alg=none", aUserToken(AUTHORITY).unsigned(), BearerTokenVerifier.UNSIGNED),
                bad("alg=None", headerSwapped(valid, "{\"alg\":\"None\",\"kid\":\"tenant-key-1\"}"), BearerTokenVerifier.ALGORITHM),
                bad("HS256 signed with the public key", aUserToken(AUTHORITY).hs256WithPublicKeyOf(TENANT_KEY), BearerTokenVerifier.ALGORITHM),
                bad("PS256 when only RS256 is accepted", signed(JWSAlgorithm.PS256, "tenant-key-1", null), BearerTokenVerifier.ALGORITHM),
                bad("RS384 from the tenant, signed with its own key", signed(JWSAlgorithm.RS384, "tenant-key-1", null), BearerTokenVerifier.ALGORITHM),
                bad("RS512 from the tenant, signed with its own key", signed(JWSAlgorithm.RS512, "tenant-key-1", null), BearerTokenVerifier.ALGORITHM),
                bad("ES256 from the tenant under its kid", signedEs256("tenant-key-1"), BearerTokenVerifier.ALGORITHM),
                bad("encrypted", encrypted(), BearerTokenVerifier.ENCRYPTED),
                bad("no kid", signed(JWSAlgorithm.RS256, null, null), BearerTokenVerifier.NO_KEY_ID),
                bad("unexpected typ", aUserToken(AUTHORITY).type(new JOSEObjectType("dpop+jwt")).signedWith(TENANT_KEY), BearerTokenVerifier.TOKEN_TYPE),
                bad("critical header", signed(JWSAlgorithm.RS256, "tenant-key-1", Set.of("exp")), BearerTokenVerifier.CRITICAL),
                bad("unknown kid", aUserToken(AUTHORITY).signedWith(FOREIGN_KEY), BearerTokenVerifier.UNKNOWN_KEY),
                bad("foreign key under our kid", aUserToken(AUTHORITY).signedWith(FOREIGN_KEY_SAME_KID), BearerTokenVerifier.BAD_SIGNATURE),
                bad("tampered payload", TestTokens.withPayload(valid, aUserToken(AUTHORITY).with("oid", Callers.BOB_OID).claims()), BearerTokenVerifier.BAD_SIGNATURE),
                bad("expired", aUserToken(AUTHORITY).expiringAt(now.minusSeconds(600)).signedWith(TENANT_KEY), BearerTokenVerifier.EXPIRED),
                bad("nbf in the future", aUserToken(AUTHORITY).with("nbf", now.plusSeconds(600)).signedWith(TENANT_KEY), BearerTokenVerifier.NOT_YET_VALID),
                bad("wrong issuer", aUserToken("https://evil.example").signedWith(TENANT_KEY), BearerTokenVerifier.UNTRUSTED_ISSUER),
                bad("issuer with another scheme", aUserToken("http://login.microsoftonline.com").signedWith(TENANT_KEY), BearerTokenVerifier.UNTRUSTED_ISSUER),
                bad("issuer with a prefix", aUserToken("https://evil.example/https://login.microsoftonline.com").signedWith(TENANT_KEY), BearerTokenVerifier.UNTRUSTED_ISSUER),
                bad("tenant not on the allow-list", aUserToken(AUTHORITY).forTenant(AUTHORITY, FOREIGN_TENANT).signedWith(TENANT_KEY), BearerTokenVerifier.TENANT_NOT_ALLOWED),
                bad("tid contradicting iss", aUserToken(AUTHORITY).with("tid", OTHER_ALLOWED_TENANT).signedWith(TENANT_KEY), BearerTokenVerifier.TENANT_MISMATCH),
                bad("wrong audience", aUserToken(AUTHORITY).with("aud", "12345678-0000-0000-0000-000000000000").signedWith(TENANT_KEY), BearerTokenVerifier.WRONG_AUDIENCE),
                bad("two audiences", aUserToken(AUTHORITY).with("aud", List.of(API_CLIENT_ID, "other")).signedWith(TENANT_KEY), BearerTokenVerifier.ONE_AUDIENCE),
                bad("Graph audience (app id)", aUserToken(AUTHORITY).with("aud", TestTokens.GRAPH_APP_ID).signedWith(TENANT_KEY), BearerTokenVerifier.GRAPH_AUDIENCE),
                bad("Graph token whose signature we cannot verify", aUserToken(AUTHORITY).with("aud", TestTokens.GRAPH_APP_ID)
                        .signedWith(FOREIGN_KEY_SAME_KID), BearerTokenVerifier.GRAPH_AUDIENCE),
                bad("Graph audience (URI)", aUserToken(AUTHORITY).with("aud", "https://graph.microsoft.com").signedWith(TENANT_KEY), BearerTokenVerifier.GRAPH_AUDIENCE),
                bad("v1 token", aUserToken(AUTHORITY).with("iss", "https://sts.windows.net/" + TENANT + "/").with("ver", "1.0")
                        .with("aud", APP_ID_URI).without("azp").with("appid", TestTokens.CLIENT_APP).signedWith(TENANT_KEY), BearerTokenVerifier.V1_TOKEN),
                bad("ver 1.0 under the v2 issuer", aUserToken(AUTHORITY).with("ver", "1.0").signedWith(TENANT_KEY), BearerTokenVerifier.V1_TOKEN),
                bad("no ver", aUserToken(AUTHORITY).without("ver").signedWith(TENANT_KEY), BearerTokenVerifier.WRONG_VERSION),
                bad("no exp", aUserToken(AUTHORITY).without("exp").signedWith(TENANT_KEY), new TokenVerification.Rejected("required claim missing: exp")),
                bad("no oid", aUserToken(AUTHORITY).without("oid").signedWith(TENANT_KEY), new TokenVerification.Rejected("required claim missing: oid")),
                bad("no tid", aUserToken(AUTHORITY).without("tid").signedWith(TENANT_KEY), new TokenVerification.Rejected("required claim missing: tid")),
                bad("oid not a GUID", aUserToken(AUTHORITY).with("oid", "alice").signedWith(TENANT_KEY), BearerTokenVerifier.NOT_GUIDS),
                bad("roles not a list", aUserToken(AUTHORITY).with("roles", 42).signedWith(TENANT_KEY), new TokenVerification.Rejected("claim roles is malformed")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void givenABadToken_verify_refusesItWithAPreciseDescription(String name, String token, TokenVerification expected) {
        assertThat(verifier.verify(token)).isEqualTo(expected);
    }

    @Test
    void givenAVerifiedToken_verifyAgainAfterItsExpiry_refusesItFromTheCache() {
        String token = aUserToken(AUTHORITY).expiringAt(clock.instant().plusSeconds(120)).signedWith(TENANT_KEY);
        assertThat(verifier.verify(token)).isInstanceOf(TokenVerification.Verified.class);
        assertThat(verifier.cachedTokens()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(120 + 60));
        TokenVerification outcome = verifier.verify(token);

        assertThat(outcome).isEqualTo(BearerTokenVerifier.EXPIRED);
        assertThat(verifier.cachedTokens()).isZero();
    }

    @Test
    void givenACachedToken_verifyAgain_answersFromTheCacheWithTheTokenAsAssertion() {
        String token = aUserToken(AUTHORITY).signedWith(TENANT_KEY);
        CallerIdentity first = verifiedCaller(token);

        CallerIdentity second = verifiedCaller(token);

        assertThat(verifier.cachedTokens()).isEqualTo(1);
        assertThat(second).isEqualTo(first);
        assertThat(second.assertion()).hasValueSatisfying(assertion -> assertThat(assertion.value()).isEqualTo(token));
    }

    @Test
    void givenACachedToken_whenItsSigningKeyIsWithdrawn_verifyRefusesIt() {
        String token = aUserToken(AUTHORITY).signedWith(TENANT_KEY);
        assertThat(verifier.verify(token)).isInstanceOf(TokenVerification.Verified.class);

        currentKeys.set(SigningKeys.of(TestTokens.publicSet(TestTokens.ROTATED_KEY)));

        assertThat(verifier.verify(token)).isEqualTo(BearerTokenVerifier.UNKNOWN_KEY);
    }

    @Test
    void givenTheCacheDisabled_verify_stillVerifiesEveryTime() {
        BearerTokenVerifier uncached = verifier(0);
        String token = aUserToken(AUTHORITY).signedWith(TENANT_KEY);

        assertThat(uncached.verify(token)).isInstanceOf(TokenVerification.Verified.class);
        assertThat(uncached.verify(token)).isInstanceOf(TokenVerification.Verified.class);
        assertThat(uncached.cachedTokens()).isZero();
    }

    @Test
    void givenKeysNeverLoaded_verify_answersUnavailableRatherThanInvalid() {
        currentKeys.set(keyId -> SigningKeys.Lookup.Missing.NOT_LOADED);

        assertThat(verifier.verify(aUserToken(AUTHORITY).signedWith(TENANT_KEY))).isEqualTo(BearerTokenVerifier.NO_KEYS);
    }

    @Test
    void givenAFacadeIssuerBesideEntra_verify_acceptsItsTokensOnlyForItsOwnAudienceAndKeys() {
        String facade = "https://mcp.example.test";
        TrustedIssuer facadeIssuer = TrustedIssuer.of(facade, Set.of(facade + "/mcp"), Set.of(JWSAlgorithm.RS256),
                SigningKeys.of(TestTokens.publicSet(FOREIGN_KEY)), Set.of(TENANT), java.util.Optional.of("2.0"), false);
        BearerTokenVerifier both = new BearerTokenVerifier(List.of(entra(TENANT), facadeIssuer), Duration.ofSeconds(60),
                clock, 10);
        Function<TestTokens.Builder, TestTokens.Builder> fromFacade = builder -> builder.with("iss", facade)
                .with("aud", facade + "/mcp").with("azp", "dcr-client-42");

        CallerIdentity caller = ((TokenVerification.Verified) both.verify(
                fromFacade.apply(aUserToken(AUTHORITY)).signedWith(FOREIGN_KEY))).caller();

        assertThat(caller.clientAppId()).isEqualTo("dcr-client-42");
        assertThat(caller.assertion()).as("a facade token is never an OBO assertion").isEmpty();
        assertThat(both.verify(fromFacade.apply(aUserToken(AUTHORITY)).signedWith(TENANT_KEY)))
                .as("signed with Entra's key").isEqualTo(BearerTokenVerifier.UNKNOWN_KEY);
        assertThat(both.verify(fromFacade.apply(aUserToken(AUTHORITY)).with("aud", API_CLIENT_ID).signedWith(FOREIGN_KEY)))
                .as("an Entra audience").isEqualTo(BearerTokenVerifier.WRONG_AUDIENCE);
    }

    @Test
    void givenTwoIssuersWithTheSameIss_construction_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new BearerTokenVerifier(List.of(entra(TENANT), entra(TENANT)), Duration.ZERO, clock, 0))
                .withMessageContaining("share the iss");
    }

    @Test
    void givenASkewAboveFiveMinutes_construction_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new BearerTokenVerifier(List.of(entra(TENANT)), Duration.ofMinutes(6), clock, 0))
                .withMessageContaining("'clockSkew'");
    }

    @Test
    void givenAnEntraIssuerWithAnAlgorithmOtherThanRs256_trustedIssuer_isRefused() {
        for (Set<JWSAlgorithm> algorithms : List.of(Set.of(JWSAlgorithm.RS384), Set.of(JWSAlgorithm.ES256),
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256))) {
            assertThatExceptionOfType(IllegalArgumentException.class)
                    .isThrownBy(() -> TrustedIssuer.entraTenant(URI.create(AUTHORITY), TENANT, Set.of(API_CLIENT_ID),
                            algorithms, keys))
                    .withMessage("'algorithms' of an Entra issuer must be exactly [RS256]: "
                            + "Microsoft Entra signs access tokens with RS256 only");
        }
    }

    @Test
    void givenAnHmacAlgorithm_trustedIssuer_isRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> TrustedIssuer.entraTenant(URI.create(AUTHORITY), TENANT, Set.of(API_CLIENT_ID),
                        Set.of(JWSAlgorithm.HS256), keys))
                .withMessageContaining("'algorithms'");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> TrustedIssuer.of(AUTHORITY + "/" + TENANT + "/v2.0", Set.of(API_CLIENT_ID),
                        Set.of(JWSAlgorithm.HS256), keys, Set.of(TENANT), java.util.Optional.empty(), false))
                .withMessageContaining("RSA or EC signature algorithms only");
    }

    private CallerIdentity verifiedCaller(String token) {
        TokenVerification outcome = verifier.verify(token);
        assertThat(outcome).isInstanceOf(TokenVerification.Verified.class);
        return ((TokenVerification.Verified) outcome).caller();
    }

    private static Arguments bad(String name, String token, TokenVerification expected) {
        return Arguments.of(name, token, expected);
    }

    private static String headerSwapped(String token, String headerJson) {
        String header = com.nimbusds.jose.util.Base64URL.encode(headerJson).toString();
        return header + token.substring(token.indexOf('.'));
    }

    private static String signed(JWSAlgorithm algorithm, String keyId, Set<String> critical) {
        try {
            JWSHeader.Builder header = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(keyId);
            if (critical != null) {
                header.criticalParams(critical);
            }
            SignedJWT jwt = new SignedJWT(header.build(), aUserToken(AUTHORITY).claims());
            jwt.sign(new RSASSASigner(TENANT_KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String signedEs256(String keyId) {
        try {
            com.nimbusds.jose.jwk.ECKey ec = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
                    .keyID(keyId).generate();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(keyId).build(),
                    aUserToken(AUTHORITY).claims());
            jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(ec));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encrypted() {
        try {
            JWTClaimsSet claims = aUserToken(AUTHORITY).claims();
            EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM), claims);
            jwt.encrypt(new RSAEncrypter(TENANT_KEY.toRSAPublicKey()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
