package dev.entramcp.adapter.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One public key from a JSON Web Key Set, ready to check signatures: its {@code kid}, the key, and
 * the single verifier its key type allows.
 *
 * <p>The verifier is chosen from the <em>key</em>, never from the token's {@code alg} header: an
 * RSA key only ever gets an RSA verifier. That is what defeats the classic algorithm-confusion
 * attack, where a token says {@code HS256} and is "signed" with the server's public RSA key used
 * as an HMAC secret. Symmetric ({@code oct}) keys are refused outright, so no HMAC verifier can
 * ever exist here. RSA keys shorter than 2048 bits are refused too.
 *
 * @param keyId    the key id ({@code kid}) tokens name in their header
 * @param jwk      the public key (any private part a JWKS wrongly published has been dropped)
 * @param verifier checks signatures made with this key; thread-safe
 */
public record VerificationKey(String keyId, JWK jwk, JWSVerifier verifier) {

    /** The smallest RSA modulus accepted, in bits (NIST SP 800-131A, and what Entra uses). */
    public static final int MIN_RSA_BITS = 2048;

    private static final Set<JWSAlgorithm> RSA_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    private static final Map<JWSAlgorithm, Curve> EC_CURVES = Map.of(JWSAlgorithm.ES256, Curve.P_256,
            JWSAlgorithm.ES384, Curve.P_384, JWSAlgorithm.ES512, Curve.P_521);

    public VerificationKey {
        Objects.requireNonNull(keyId, "'keyId' must not be null");
        Objects.requireNonNull(jwk, "'jwk' must not be null");
        Objects.requireNonNull(verifier, "'verifier' must not be null");
        if (jwk.isPrivate()) {
            throw new IllegalArgumentException("'jwk' must be a public key");
        }
    }

    /**
     * Turns a JWK into a verification key, or explains why it cannot be one.
     *
     * @throws IllegalArgumentException when the key has no {@code kid}, is not meant for signatures,
     *                                  is symmetric, too short, or of an unsupported type or curve
     */
    public static VerificationKey from(JWK jwk) {
        Objects.requireNonNull(jwk, "'jwk' must not be null");
        String keyId = jwk.getKeyID();
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("key has no 'kid'");
        }
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            throw new IllegalArgumentException("key 'use' is not 'sig'");
        }
        JWK publicJwk = jwk.toPublicJWK();
        try {
            if (publicJwk instanceof RSAKey rsa) {
                if (rsa.size() < MIN_RSA_BITS) {
                    throw new IllegalArgumentException("RSA key is shorter than " + MIN_RSA_BITS + " bits");
                }
                return new VerificationKey(keyId, rsa, new RSASSAVerifier(rsa.toRSAPublicKey()));
            }
            if (publicJwk instanceof ECKey ec) {
                if (!EC_CURVES.containsValue(ec.getCurve())) {
                    throw new IllegalArgumentException("EC curve is not P-256, P-384 or P-521");
                }
                return new VerificationKey(keyId, ec, new ECDSAVerifier(ec));
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("key cannot be used to verify signatures");
        }
        throw new IllegalArgumentException("key type " + (publicJwk == null ? "?" : publicJwk.getKeyType())
                + " is not accepted (symmetric keys never are)");
    }

    /**
     * Whether a signature made with {@code algorithm} can come from this key: the algorithm must
     * belong to the key's type (and curve), and equal the key's own {@code alg} when it names one.
     */
    public boolean accepts(JWSAlgorithm algorithm) {
        if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(algorithm.getName())) {
            return false;
        }
        if (jwk instanceof RSAKey) {
            return RSA_ALGORITHMS.contains(algorithm);
        }
        if (jwk instanceof ECKey ec) {
            return ec.getCurve().equals(EC_CURVES.get(algorithm));
        }
        return false;
    }

    /** Whether two keys are the same key material under the same id (used to keep verifiers across refreshes). */
    boolean sameKeyAs(JWK other) {
        return keyId.equals(other.getKeyID()) && jwk.equals(other.toPublicJWK());
    }
}
