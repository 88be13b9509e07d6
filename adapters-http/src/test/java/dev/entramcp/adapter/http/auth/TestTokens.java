package dev.entramcp.adapter.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.entramcp.domain.fixtures.Callers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entra-shaped access tokens for tests, signed with keys generated at test start (nothing is
 * committed). {@code TestTokens.aUserToken(authority).withScopes("User.Read").signedWith(TENANT_KEY)}.
 */
final class TestTokens {

    static final String TENANT = Callers.TENANT;
    static final String OTHER_ALLOWED_TENANT = "22222222-3333-4444-5555-666666666666";
    static final String FOREIGN_TENANT = "33333333-4444-5555-6666-777777777777";
    static final String API_CLIENT_ID = "99999999-0000-0000-0000-000000000009";
    static final String APP_ID_URI = "api://entramcp-test";
    static final String CLIENT_APP = Callers.CLIENT_APP;
    static final String DAEMON_OID = "dddddddd-0000-0000-0000-000000000004";
    static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

    static final RSAKey TENANT_KEY = rsa("tenant-key-1");
    static final RSAKey ROTATED_KEY = rsa("tenant-key-2");
    /** Another key under the tenant key's id: what another emulator instance would sign with. */
    static final RSAKey FOREIGN_KEY_SAME_KID = rsa("tenant-key-1");
    static final RSAKey FOREIGN_KEY = rsa("foreign-key-1");

    private TestTokens() {
    }

    static JWKSet publicSet(RSAKey... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet();
    }

    /** Alice's delegated token for the test API, issued by {@code authority} for the home tenant. */
    static Builder aUserToken(String authority) {
        Instant now = Instant.now();
        return new Builder()
                .with("iss", authority + "/" + TENANT + "/v2.0")
                .with("aud", API_CLIENT_ID)
                .with("tid", TENANT)
                .with("oid", Callers.ALICE_OID)
                .with("sub", "pairwise-subject-of-alice-for-this-api")
                .with("azp", CLIENT_APP)
                .with("azpacr", "0")
                .with("scp", "User.Read Mail.Send")
                .with("ver", "2.0")
                .with("name", "Alice")
                .with("preferred_username", "alice@contoso.example")
                .with("iat", now.minusSeconds(60))
                .with("nbf", now.minusSeconds(60))
                .with("exp", now.plus(Duration.ofHours(1)));
    }

    /** A daemon's app-only token (client credentials): roles, no scp, {@code oid == sub}. */
    static Builder anAppToken(String authority) {
        return aUserToken(authority)
                .without("scp").without("name").without("preferred_username")
                .with("oid", DAEMON_OID).with("sub", DAEMON_OID)
                .with("roles", List.of("Mail.Sender"));
    }

    static final class Builder {
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private JWSAlgorithm algorithm = JWSAlgorithm.RS256;
        private String keyId;
        private JOSEObjectType type = JOSEObjectType.JWT;

        Builder with(String claim, Object value) {
            claims.put(claim, value instanceof Instant instant ? Date.from(instant) : value);
            return this;
        }

        Builder without(String claim) {
            claims.remove(claim);
            return this;
        }

        Builder forTenant(String authority, String tenant) {
            return with("iss", authority + "/" + tenant + "/v2.0").with("tid", tenant);
        }

        Builder expiringAt(Instant exp) {
            return with("exp", exp);
        }

        Builder keyId(String value) {
            keyId = value;
            return this;
        }

        Builder type(JOSEObjectType value) {
            type = value;
            return this;
        }

        JWTClaimsSet claims() {
            JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
            claims.forEach(builder::claim);
            return builder.build();
        }

        String signedWith(RSAKey key) {
            try {
                JWSHeader header = new JWSHeader.Builder(algorithm).type(type)
                        .keyID(keyId != null ? keyId : key.getKeyID()).build();
                SignedJWT jwt = new SignedJWT(header, claims());
                jwt.sign(new RSASSASigner(key));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /** {@code alg=none}. */
        String unsigned() {
            return new PlainJWT(claims()).serialize();
        }

        /** The algorithm-confusion attack: HS256 with the server's public RSA key as the HMAC secret. */
        String hs256WithPublicKeyOf(RSAKey key) {
            try {
                JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(type).keyID(key.getKeyID()).build();
                SignedJWT jwt = new SignedJWT(header, claims());
                jwt.sign(new MACSigner(key.toPublicKey().getEncoded()));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The token with its payload replaced by {@code claims}, the signature kept. */
    static String withPayload(String token, JWTClaimsSet claims) {
        String[] parts = token.split("\\.");
        String payload = Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8)).toString();
        return parts[0] + "." + payload + "." + parts[2];
    }

    private static RSAKey rsa(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
