package dev.entramcp.adapter.http.support;

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
import dev.entramcp.domain.model.CallerIdentity;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entra-shaped access tokens for tests, signed with keys generated at test start (nothing is
 * committed). Tokens are minted for the domain's test callers, so that the caller the server
 * builds from a token is the one the test names:
 * {@code TestTokens.aTokenFor(TestCallers.bob(), authority).signedWith(TENANT_KEY)}.
 */
public final class TestTokens {

    public static final String TENANT = Callers.TENANT;
    public static final String OTHER_ALLOWED_TENANT = "22222222-3333-4444-5555-666666666666";
    public static final String FOREIGN_TENANT = "33333333-4444-5555-6666-777777777777";
    /** The API's client id and App ID URI, as {@code application-httptest.yml} configures them. */
    public static final String API_CLIENT_ID = "99999999-0000-0000-0000-000000000009";
    public static final String APP_ID_URI = "api://entramcp-test";
    /** What turns a domain scope into a requestable one, in challenges and PRM. */
    public static final String SCOPE_PREFIX = APP_ID_URI + "/";
    public static final String CLIENT_APP = Callers.CLIENT_APP;
    public static final String DAEMON_OID = TestCallers.DAEMON_OID;
    public static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

    public static final RSAKey TENANT_KEY = rsa("tenant-key-1");
    public static final RSAKey ROTATED_KEY = rsa("tenant-key-2");
    /** Another key under the tenant key's id: what another emulator instance would sign with. */
    public static final RSAKey FOREIGN_KEY_SAME_KID = rsa("tenant-key-1");
    public static final RSAKey FOREIGN_KEY = rsa("foreign-key-1");

    private TestTokens() {
    }

    public static JWKSet publicSet(RSAKey... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet();
    }

    /**
     * The token Entra would issue to {@code caller}'s client for this API, valid for an hour:
     * {@code iss} of the caller's tenant at {@code authority}, {@code tid}, {@code oid},
     * {@code azp}, and for a user {@code scp}, {@code name}, {@code preferred_username} and a
     * pairwise {@code sub}; for an application {@code sub == oid} and no {@code scp}; app roles
     * in {@code roles} when it has any.
     */
    public static Builder aTokenFor(CallerIdentity caller, String authority) {
        Instant now = Instant.now();
        String tenant = caller.principal().tenantId();
        String objectId = caller.principal().objectId();
        Builder token = new Builder()
                .with("iss", authority + "/" + tenant + "/v2.0")
                .with("aud", API_CLIENT_ID)
                .with("tid", tenant)
                .with("oid", objectId)
                .with("azp", caller.clientAppId())
                .with("azpacr", "0")
                .with("ver", "2.0")
                .with("iat", now.minusSeconds(60))
                .with("nbf", now.minusSeconds(60))
                .with("exp", now.plus(Duration.ofHours(1)));
        if (caller.isUser()) {
            token.with("sub", "pairwise-subject-of-" + objectId + "-for-this-api")
                    .with("scp", String.join(" ", caller.scopes()))
                    .with("name", caller.displayName())
                    .with("preferred_username", caller.username());
        } else {
            token.with("sub", objectId);
        }
        if (!caller.roles().isEmpty()) {
            token.with("roles", List.copyOf(caller.roles()));
        }
        return token;
    }

    /** Alice's delegated token ({@code scp} User.Read and Mail.Send, no role), issued by {@code authority}. */
    public static Builder aUserToken(String authority) {
        return aTokenFor(TestCallers.alice(), authority);
    }

    /** A daemon's app-only token (client credentials): {@code roles} Mail.Sender, no {@code scp}, {@code oid == sub}. */
    public static Builder anAppToken(String authority) {
        return aTokenFor(TestCallers.daemon(), authority);
    }

    /** Builds the claims and the header, then signs (or deliberately mis-signs). */
    public static final class Builder {
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private final JWSAlgorithm algorithm = JWSAlgorithm.RS256;
        private String keyId;
        private JOSEObjectType type = JOSEObjectType.JWT;

        public Builder with(String claim, Object value) {
            claims.put(claim, value instanceof Instant instant ? Date.from(instant) : value);
            return this;
        }

        public Builder without(String claim) {
            claims.remove(claim);
            return this;
        }

        public Builder forTenant(String authority, String tenant) {
            return with("iss", authority + "/" + tenant + "/v2.0").with("tid", tenant);
        }

        public Builder expiringAt(Instant exp) {
            return with("exp", exp);
        }

        public Builder keyId(String value) {
            keyId = value;
            return this;
        }

        public Builder type(JOSEObjectType value) {
            type = value;
            return this;
        }

        public JWTClaimsSet claims() {
            JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
            claims.forEach(builder::claim);
            return builder.build();
        }

        public String signedWith(RSAKey key) {
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
        public String unsigned() {
            return new PlainJWT(claims()).serialize();
        }

        /** The algorithm-confusion attack: HS256 with the server's public RSA key as the HMAC secret. */
        public String hs256WithPublicKeyOf(RSAKey key) {
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

    /**
     * An {@code exp} for a token that must expire during a test: a whole second (JWT times are
     * whole seconds) between 2.3 s and 3.3 s from now, far enough for the first request to see
     * it valid even on a loaded machine, and near enough to keep the test short.
     */
    public static Instant soon() {
        Instant now = Instant.now();
        Instant next = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
        return Duration.between(now, next).toMillis() < 2300 ? next.plusSeconds(1) : next;
    }

    /** The token with its payload replaced by {@code claims}, the signature kept. */
    public static String withPayload(String token, JWTClaimsSet claims) {
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
