package dev.entramcp.adapter.entra;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import no.nav.security.mock.oauth2.http.SslKeystore;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/** Credentials made at test time: a certificate with its key (PKCS#12 and PEM), client assertions. */
final class TestCredentials {

    static final String CERTIFICATE_PASSWORD = "test-only-" + UUID.randomUUID();

    private final KeyStore keyStore;

    TestCredentials() {
        keyStore = SslKeystore.Companion.generate("entra-mcp-test-app", CERTIFICATE_PASSWORD);
    }

    X509Certificate certificate() throws Exception {
        return (X509Certificate) keyStore.getCertificate("entra-mcp-test-app");
    }

    PrivateKey privateKey() throws Exception {
        return (PrivateKey) keyStore.getKey("entra-mcp-test-app", CERTIFICATE_PASSWORD.toCharArray());
    }

    Path writePkcs12(Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            keyStore.store(out, CERTIFICATE_PASSWORD.toCharArray());
        }
        return file;
    }

    Path writePem(Path file) throws Exception {
        Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        String pem = "-----BEGIN PRIVATE KEY-----\n" + mime.encodeToString(privateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n"
                + "-----BEGIN CERTIFICATE-----\n" + mime.encodeToString(certificate().getEncoded()) + "\n-----END CERTIFICATE-----\n";
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        return file;
    }

    /**
     * A signed client assertion as a workload identity platform would write it to a file (here with
     * {@code iss} = {@code sub} = the client id, which mock-oauth2-server's client authentication parser requires).
     */
    static String clientAssertion(String clientId, String audience) throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).generate();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                .issueTime(Date.from(Instant.now())).expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
