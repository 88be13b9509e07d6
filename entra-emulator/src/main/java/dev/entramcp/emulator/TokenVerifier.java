package dev.entramcp.emulator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;

import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies tokens the emulator itself issued, when they come back: as an On-Behalf-Of assertion, or as the
 * bearer token of a Graph call. It checks what a relying party must check, in this order: the JWS shape,
 * {@code alg=RS256} (never {@code none}, never a key named by the token itself), a known {@code kid}, the
 * signature, {@code iss}, {@code tid}, and the lifetime. The audience is the caller's business.
 */
final class TokenVerifier {

    /** Why a token was refused. */
    enum Problem { MALFORMED, UNSUPPORTED_ALGORITHM, KEY_NOT_FOUND, BAD_SIGNATURE, WRONG_ISSUER, WRONG_TENANT,
        EXPIRED, NOT_YET_VALID }

    /** A refusal, with a sentence safe to show to the token's presenter (it never echoes the token). */
    static final class Rejected extends Exception {
        final Problem problem;

        Rejected(Problem problem, String message) {
            super(message, null, false, false);
            this.problem = problem;
        }
    }

    private final Settings settings;
    private final SigningKeys keys;

    TokenVerifier(Settings settings, SigningKeys keys) {
        this.settings = settings;
        this.keys = keys;
    }

    /** The token's claims if it is authentic, current, and from this tenant. */
    Map<String, Object> verify(String token) throws Rejected {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new Rejected(Problem.MALFORMED, "The token is not a signed JWT.");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new Rejected(Problem.UNSUPPORTED_ALGORITHM, "The token's algorithm is not RS256.");
        }
        String kid = jwt.getHeader().getKeyID();
        Optional<RSAPublicKey> key = kid == null ? Optional.empty() : keys.publicKey(kid);
        if (key.isEmpty()) {
            throw new Rejected(Problem.KEY_NOT_FOUND, "The token's signing key was not found.");
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(key.get()))) {
                throw new Rejected(Problem.BAD_SIGNATURE, "The token's signature is invalid.");
            }
        } catch (JOSEException e) {
            throw new Rejected(Problem.BAD_SIGNATURE, "The token's signature could not be verified.");
        }
        Map<String, Object> claims;
        try {
            claims = new LinkedHashMap<>(jwt.getPayload().toJSONObject());
        } catch (RuntimeException e) {
            throw new Rejected(Problem.MALFORMED, "The token's payload is not a JSON object.");
        }
        if (!settings.issuer().equals(claims.get("iss"))) {
            throw new Rejected(Problem.WRONG_ISSUER, "The token's issuer is not " + settings.issuer() + ".");
        }
        if (!settings.tenantId().equals(claims.get("tid"))) {
            throw new Rejected(Problem.WRONG_TENANT, "The token is not for tenant " + settings.tenantId() + ".");
        }
        Instant now = settings.clock().instant();
        Long exp = seconds(claims.get("exp"));
        if (exp == null || !now.isBefore(Instant.ofEpochSecond(exp))) {
            throw new Rejected(Problem.EXPIRED, "The token is expired.");
        }
        Long nbf = seconds(claims.get("nbf"));
        if (nbf != null && now.isBefore(Instant.ofEpochSecond(nbf))) {
            throw new Rejected(Problem.NOT_YET_VALID, "The token is not yet valid.");
        }
        return claims;
    }

    /** The claims of a JWT, read without verification (for the Graph request log), or empty. */
    static Map<String, Object> unverifiedClaims(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length < 2) {
            return Map.of();
        }
        try {
            String json = new String(java.util.Base64.getUrlDecoder().decode(parts[1]),
                    java.nio.charset.StandardCharsets.UTF_8);
            Map<String, Object> claims = new LinkedHashMap<>(com.nimbusds.jose.util.JSONObjectUtils.parse(json));
            claims.values().removeIf(v -> v == null);
            return claims;
        } catch (ParseException | RuntimeException e) {
            return Map.of();
        }
    }

    static Long seconds(Object value) {
        return value instanceof Number ? ((Number) value).longValue() : null;
    }

    /** True if {@code aud} (a string or an array) holds one of the accepted audiences. */
    static boolean audienceIsOneOf(Object aud, String... accepted) {
        if (aud instanceof String) {
            return java.util.Arrays.asList(accepted).contains(aud);
        }
        if (aud instanceof java.util.List) {
            for (Object entry : (java.util.List<?>) aud) {
                if (entry instanceof String && java.util.Arrays.asList(accepted).contains(entry)) {
                    return true;
                }
            }
        }
        return false;
    }
}
