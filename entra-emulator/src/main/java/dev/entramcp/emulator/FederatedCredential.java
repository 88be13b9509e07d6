package dev.entramcp.emulator;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Objects;

/**
 * A federated identity credential: the app trusts tokens that another issuer (GitHub Actions, Kubernetes, a
 * managed identity) minted for one subject, and accepts them as its client assertion. No secret is stored.
 *
 * <p>Entra fetches the issuer's keys from its OpenID discovery document; the emulator holds them directly,
 * so a test can play the external issuer with a key pair it generates.
 *
 * @param issuer   the external token's {@code iss}, matched exactly
 * @param subject  the external token's {@code sub}, matched exactly
 * @param audience the external token's required {@code aud}; Entra's recommended value is
 *                 {@value #DEFAULT_AUDIENCE}
 * @param keys     the issuer's public keys (RSA or EC P-256)
 */
public record FederatedCredential(String issuer, String subject, String audience, List<PublicKey> keys) {

    public static final String DEFAULT_AUDIENCE = "api://AzureADTokenExchange";

    public FederatedCredential {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("'issuer' must not be blank");
        }
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("'subject' must not be blank");
        }
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("'audience' must not be blank");
        }
        keys = List.copyOf(Objects.requireNonNull(keys, "'keys' must not be null"));
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("'keys' must hold at least one public key");
        }
        for (PublicKey key : keys) {
            if (!(key instanceof RSAPublicKey) && !(key instanceof ECPublicKey)) {
                throw new IllegalArgumentException("'keys' must be RSA or EC public keys");
            }
        }
    }

    /** A credential with the default audience {@value #DEFAULT_AUDIENCE}. */
    public static FederatedCredential of(String issuer, String subject, PublicKey... keys) {
        return new FederatedCredential(issuer, subject, DEFAULT_AUDIENCE, List.of(keys));
    }
}
