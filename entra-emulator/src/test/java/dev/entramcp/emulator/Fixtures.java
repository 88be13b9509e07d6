package dev.entramcp.emulator;

import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.nimbusds.jwt.SignedJWT;

import java.net.MalformedURLException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** msal4j wired to an emulator, and test key material made at run time. */
final class Fixtures {

    private Fixtures() {
    }

    /** msal4j's public client, trusting the emulator, with Entra's authority layout and no instance discovery. */
    static PublicClientApplication publicClient(EntraEmulator emu, String clientId) {
        try {
            return PublicClientApplication.builder(clientId)
                    .authority(emu.authority().toString())
                    .instanceDiscovery(false)
                    .sslSocketFactory(emu.sslContext().getSocketFactory())
                    .build();
        } catch (MalformedURLException e) {
            throw new AssertionError(e);
        }
    }

    static ConfidentialClientApplication confidentialClient(EntraEmulator emu, String clientId,
                                                            IClientCredential credential) {
        try {
            return ConfidentialClientApplication.builder(clientId, credential)
                    .authority(emu.authority().toString())
                    .instanceDiscovery(false)
                    .sslSocketFactory(emu.sslContext().getSocketFactory())
                    .build();
        } catch (MalformedURLException e) {
            throw new AssertionError(e);
        }
    }

    /** A token's claims, read without verification (the tests that verify do it with nimbus and the JWKS). */
    static Map<String, Object> claims(String jwt) {
        try {
            return SignedJWT.parse(jwt).getPayload().toJSONObject();
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static X509Certificate certificate(KeyPair keyPair) {
        try {
            return SelfSignedCertificate.create(keyPair, Instant.now().minus(Duration.ofMinutes(1)),
                    Instant.now().plus(Duration.ofDays(1)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
