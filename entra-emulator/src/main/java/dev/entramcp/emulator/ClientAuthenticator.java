package dev.entramcp.emulator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Client authentication at the token endpoint, the way Entra does it: a public client presents no
 * credential; a confidential client presents a secret ({@code client_secret_post} or {@code _basic}) or a
 * signed client assertion ({@code private_key_jwt}) made with a registered certificate, or a federated token
 * from a trusted external issuer. A certificate sent inline ({@code x5c}) is never trusted on its own.
 */
final class ClientAuthenticator {

    static final String JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Duration SKEW = Duration.ofMinutes(5);

    /**
     * The authenticated client.
     *
     * @param azpacr Entra's {@code azpacr}: 0 public client, 1 secret, 2 certificate or assertion
     */
    record Authenticated(AppRegistration app, String azpacr) {
        boolean isConfidential() {
            return !"0".equals(azpacr);
        }
    }

    private final Settings settings;
    private final Directory directory;

    ClientAuthenticator(Settings settings, Directory directory) {
        this.settings = settings;
        this.directory = directory;
    }

    Authenticated authenticate(HttpCall call, Map<String, String> form) {
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        String basic = call.header("Authorization");
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] pair = decodeBasic(basic.substring(6).trim());
            if (clientId != null && !clientId.equals(pair[0])) {
                throw EntraError.invalidRequest(90023, "The client_id in the body and in the Authorization header differ.");
            }
            if (secret != null) {
                throw EntraError.invalidRequest(90023, "The client secret must be sent only once.");
            }
            clientId = pair[0];
            secret = pair[1];
        }
        if (clientId == null) {
            throw EntraError.missingParameter("client_id");
        }
        String id = clientId;
        AppRegistration app = directory.app(id).orElseThrow(() -> EntraError.unauthorizedClient(700016,
                "Application with identifier '" + id + "' was not found in the directory '" + settings.tenantId()
                        + "'. This can happen if the application has not been installed by the administrator of the"
                        + " tenant or consented to by any user in the tenant. You may have sent your authentication"
                        + " request to the wrong tenant."));
        String assertion = form.get("client_assertion");
        if (app.publicClient()) {
            if (secret != null || assertion != null) {
                throw EntraError.invalidClient(700025,
                        "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.");
            }
            return new Authenticated(app, "0");
        }
        if (secret == null && assertion == null) {
            throw EntraError.invalidClient(7000218,
                    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }
        if (secret != null && assertion != null) {
            throw EntraError.invalidRequest(90023, "Send either 'client_secret' or 'client_assertion', not both.");
        }
        if (secret != null) {
            if (app.clientSecret() == null || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                    app.clientSecret().getBytes(StandardCharsets.UTF_8))) {
                throw EntraError.invalidClient(7000215, "Invalid client secret provided. Ensure the secret being sent"
                        + " in the request is the client secret value, not the client secret ID, for a secret added to"
                        + " app '" + app.clientId() + "'.");
            }
            return new Authenticated(app, "1");
        }
        if (!JWT_BEARER_ASSERTION.equals(form.get("client_assertion_type"))) {
            throw EntraError.invalidRequest(900144, "The request body must contain the following parameter:"
                    + " 'client_assertion_type' with the value '" + JWT_BEARER_ASSERTION + "'.");
        }
        verifyAssertion(app, assertion, call);
        return new Authenticated(app, "2");
    }

    private void verifyAssertion(AppRegistration app, String assertion, HttpCall call) {
        SignedJWT jwt;
        Map<String, Object> claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getPayload().toJSONObject();
        } catch (ParseException | RuntimeException e) {
            throw EntraError.invalidClient(50027, "JWT token is invalid or malformed.");
        }
        if (claims == null) {
            throw EntraError.invalidClient(50027, "JWT token is invalid or malformed.");
        }
        Object iss = claims.get("iss");
        Object sub = claims.get("sub");
        if (app.clientId().equals(iss) && app.clientId().equals(sub)) {
            verifyCertificateAssertion(app, jwt, claims, call);
        } else {
            verifyFederatedAssertion(app, jwt, claims, iss, sub);
        }
    }

    private void verifyCertificateAssertion(AppRegistration app, SignedJWT jwt, Map<String, Object> claims,
                                            HttpCall call) {
        // x5t#S256 (SHA-256) is preferred; x5t (SHA-1) is what older clients send.
        Map<String, Object> header = jwt.getHeader().toJSONObject();
        Object named = header.get("x5t#S256") != null ? header.get("x5t#S256") : header.get("x5t");
        String thumbprint = named instanceof String ? (String) named : null;
        if (thumbprint == null) {
            throw EntraError.invalidClient(700027, "Client assertion contains an invalid signature."
                    + " [Reason - The key was not found: the assertion names no certificate thumbprint (x5t#S256 or x5t).]");
        }
        X509Certificate certificate = findCertificate(app.certificates(), thumbprint).orElseThrow(() ->
                EntraError.invalidClient(700027, "Client assertion contains an invalid signature. [Reason - The key"
                        + " was not found., Thumbprint of key used by client: '" + thumbprint + "'. Please visit the"
                        + " Azure Portal to verify that the certificate is registered on app '" + app.clientId()
                        + "'.]"));
        if (!verifies(jwt, certificate.getPublicKey())) {
            throw EntraError.invalidClient(700027, "Client assertion contains an invalid signature. [Reason - The"
                    + " provided signature value did not match the expected signature value.]");
        }
        String called = settings.base() + call.path();
        if (!TokenVerifier.audienceIsOneOf(claims.get("aud"), settings.tokenEndpoint(), called, settings.issuer())) {
            throw EntraError.invalidClient(50027, "Invalid JWT token: the client assertion's audience is not this"
                    + " token endpoint (" + settings.tokenEndpoint() + ").");
        }
        requireCurrent(claims);
    }

    private void verifyFederatedAssertion(AppRegistration app, SignedJWT jwt, Map<String, Object> claims, Object iss,
                                          Object sub) {
        List<FederatedCredential> fromIssuer = app.federatedCredentials().stream()
                .filter(f -> f.issuer().equals(iss)).toList();
        if (fromIssuer.isEmpty()) {
            throw EntraError.invalidClient(700211, "No matching federated identity record found for presented"
                    + " assertion issuer '" + iss + "'. Please check your federated identity credential Subject,"
                    + " Audience and Issuer against the presented assertion.");
        }
        List<FederatedCredential> forSubject = fromIssuer.stream().filter(f -> f.subject().equals(sub)).toList();
        if (forSubject.isEmpty()) {
            throw EntraError.invalidClient(700213, "No matching federated identity record found for presented"
                    + " assertion subject '" + sub + "'. Please check your federated identity credential Subject,"
                    + " Audience and Issuer against the presented assertion.");
        }
        Optional<FederatedCredential> matching = forSubject.stream()
                .filter(f -> TokenVerifier.audienceIsOneOf(claims.get("aud"), f.audience())).findFirst();
        if (matching.isEmpty()) {
            throw EntraError.invalidClient(700212, "No matching federated identity record found for presented"
                    + " assertion audience '" + claims.get("aud") + "'. Please note that the matching is done using"
                    + " a case-sensitive comparison.");
        }
        boolean signed = matching.get().keys().stream().anyMatch(key -> verifies(jwt, key));
        if (!signed) {
            throw EntraError.invalidClient(700027, "Client assertion contains an invalid signature. [Reason - No"
                    + " key of issuer '" + iss + "' verifies the signature.]");
        }
        requireCurrent(claims);
    }

    private void requireCurrent(Map<String, Object> claims) {
        Instant now = settings.clock().instant();
        Long exp = TokenVerifier.seconds(claims.get("exp"));
        Long nbf = TokenVerifier.seconds(claims.get("nbf"));
        if (exp == null || !now.minus(SKEW).isBefore(Instant.ofEpochSecond(exp))
                || (nbf != null && now.plus(SKEW).isBefore(Instant.ofEpochSecond(nbf)))) {
            throw EntraError.invalidClient(700024, "Client assertion is not within its valid time range. Current"
                    + " time: " + now + ", assertion valid from " + (nbf == null ? "-" : Instant.ofEpochSecond(nbf))
                    + ", expiry time of assertion " + (exp == null ? "-" : Instant.ofEpochSecond(exp)) + ".");
        }
    }

    private static boolean verifies(SignedJWT jwt, PublicKey key) {
        try {
            JWSVerifier verifier;
            if (key instanceof RSAPublicKey) {
                verifier = new RSASSAVerifier((RSAPublicKey) key);
            } else if (key instanceof ECPublicKey) {
                verifier = new ECDSAVerifier((ECPublicKey) key);
            } else {
                return false;
            }
            return verifier.supportedJWSAlgorithms().contains(jwt.getHeader().getAlgorithm()) && jwt.verify(verifier);
        } catch (JOSEException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The registered certificate with this SHA-256 or SHA-1 thumbprint. msal4j writes the thumbprint in
     * standard base64 where RFC 7515 says base64url; Entra accepts both, so does the emulator.
     */
    static Optional<X509Certificate> findCertificate(List<X509Certificate> certificates, String thumbprint) {
        byte[] presented;
        try {
            StringBuilder standard = new StringBuilder(thumbprint.replace('-', '+').replace('_', '/').replace("=", ""));
            while (standard.length() % 4 != 0) {
                standard.append('=');
            }
            presented = Base64.getDecoder().decode(standard.toString());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (X509Certificate certificate : certificates) {
            try {
                byte[] der = certificate.getEncoded();
                if (MessageDigest.isEqual(presented, MessageDigest.getInstance("SHA-256").digest(der))
                        || MessageDigest.isEqual(presented, MessageDigest.getInstance("SHA-1").digest(der))) {
                    return Optional.of(certificate);
                }
            } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String[] decodeBasic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw EntraError.invalidRequest(90023, "The Authorization header is not valid Basic credentials.");
            }
            // RFC 6749 section 2.3.1: client id and secret are form-urlencoded before Basic encoding.
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw EntraError.invalidRequest(90023, "The Authorization header is not valid Basic credentials.");
        }
    }
}
