package dev.entramcp.adapter.entra;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.ManagedIdentityApplication;
import com.microsoft.aad.msal4j.ManagedIdentityId;
import com.microsoft.aad.msal4j.ManagedIdentityParameters;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds msal4j's client credential from a {@link ClientCredentialConfig}. Files are read when the
 * application starts (certificates: a broken file fails fast) or at every token request (the
 * federated token file, which the platform rotates).
 */
final class ClientCredentials {

    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private ClientCredentials() {
    }

    static IClientCredential build(ClientCredentialConfig config, Optional<IHttpClient> httpClient) {
        if (config instanceof ClientCredentialConfig.ClientSecret secret) {
            return ClientCredentialFactory.createFromSecret(secret.value());
        }
        if (config instanceof ClientCredentialConfig.Certificate certificate) {
            return fromCertificate(certificate);
        }
        if (config instanceof ClientCredentialConfig.FederatedToken federated) {
            // checked again here, at start, for a configuration built without of(...)
            ClientCredentialConfig.FederatedToken.readable(federated.tokenFile());
            return ClientCredentialFactory.createFromCallback(federatedTokenFile(federated.tokenFile()));
        }
        if (config instanceof ClientCredentialConfig.ManagedIdentity managed) {
            return ClientCredentialFactory.createFromCallback(managedIdentityAssertion(managed, httpClient));
        }
        throw new IllegalArgumentException("Unsupported client credential " + config.kind());
    }

    /**
     * Reads the (rotated) federated token afresh for every token request. A file that has become
     * unreadable or empty is the server's credential failing, not the network: it is reported as a
     * {@link ClientAssertionUnavailableException} naming the setting and the path, never the content.
     */
    static Callable<String> federatedTokenFile(Path tokenFile) {
        return () -> {
            String token;
            try {
                token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
            } catch (IOException | RuntimeException e) {
                throw new ClientAssertionUnavailableException("the federated token file " + tokenFile + " named by "
                        + ClientCredentialConfig.FEDERATED_TOKEN_FILE + " cannot be read (" + e.getClass().getSimpleName() + ")");
            }
            if (token.isEmpty()) {
                throw new ClientAssertionUnavailableException("the federated token file " + tokenFile + " named by "
                        + ClientCredentialConfig.FEDERATED_TOKEN_FILE + " is empty");
            }
            return token;
        };
    }

    /** A managed identity token for {@code api://AzureADTokenExchange}, used as the client assertion. */
    static Callable<String> managedIdentityAssertion(ClientCredentialConfig.ManagedIdentity managed,
                                                     Optional<IHttpClient> httpClient) {
        ManagedIdentityId id = managed.userAssignedClientId()
                .map(ManagedIdentityId::userAssignedClientId)
                .orElseGet(ManagedIdentityId::systemAssigned);
        ManagedIdentityApplication.Builder builder = ManagedIdentityApplication.builder(id);
        httpClient.ifPresent(builder::httpClient);
        ManagedIdentityApplication identity = builder.build();
        ManagedIdentityParameters parameters = ManagedIdentityParameters.builder(ClientCredentialConfig.TOKEN_EXCHANGE_AUDIENCE).build();
        return () -> {
            try {
                return identity.acquireTokenForManagedIdentity(parameters).get().accessToken();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClientAssertionUnavailableException("interrupted while asking the managed identity for the client assertion");
            } catch (Exception e) {
                Throwable cause = MsalFailures.unwrap(e);
                throw new ClientAssertionUnavailableException("the managed identity"
                        + managed.userAssignedClientId().map(clientId -> " " + clientId).orElse(" (system-assigned)")
                        + " did not supply the client assertion (" + cause.getClass().getSimpleName() + ")");
            }
        };
    }

    private static IClientCredential fromCertificate(ClientCredentialConfig.Certificate certificate) {
        Path file = certificate.file();
        try {
            byte[] content = Files.readAllBytes(file);
            String text = new String(content, StandardCharsets.US_ASCII);
            if (text.contains("-----BEGIN")) {
                return fromPem(text, certificate);
            }
            try (InputStream pkcs12 = new ByteArrayInputStream(content)) {
                return ClientCredentialFactory.createFromCertificate(pkcs12, certificate.password().orElse(""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the client certificate " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot load the client certificate " + file + " ("
                    + e.getClass().getSimpleName() + "): check the file and its password", e);
        }
    }

    private static IClientCredential fromPem(String text, ClientCredentialConfig.Certificate certificate)
            throws GeneralSecurityException {
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory certificates = CertificateFactory.getInstance("X.509");
        Matcher block = PEM_BLOCK.matcher(text);
        while (block.find()) {
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            switch (block.group(1)) {
                case "CERTIFICATE" -> chain.add((X509Certificate) certificates.generateCertificate(new ByteArrayInputStream(der)));
                case "PRIVATE KEY" -> key = privateKey(new PKCS8EncodedKeySpec(der));
                case "ENCRYPTED PRIVATE KEY" -> key = privateKey(decrypt(der, certificate));
                default -> throw new IllegalArgumentException("The client certificate " + certificate.file() + " holds a '"
                        + block.group(1) + "' block; convert the key to PKCS#8 (openssl pkcs8 -topk8) or use a PKCS#12 file");
            }
        }
        if (key == null || chain.isEmpty()) {
            throw new IllegalArgumentException("The client certificate " + certificate.file()
                    + " must hold both a PRIVATE KEY and its CERTIFICATE");
        }
        return ClientCredentialFactory.createFromCertificateChain(key, chain);
    }

    private static PKCS8EncodedKeySpec decrypt(byte[] der, ClientCredentialConfig.Certificate certificate)
            throws GeneralSecurityException {
        String password = certificate.password().orElseThrow(() -> new IllegalArgumentException(
                "The client certificate " + certificate.file() + " has an encrypted key: set "
                        + ClientCredentialConfig.CLIENT_CERTIFICATE_PASSWORD));
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            String algorithm = info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password.toCharArray())), info.getAlgParameters());
            return info.getKeySpec(cipher);
        } catch (IOException e) {
            throw new IllegalArgumentException("The encrypted key in " + certificate.file() + " is malformed", e);
        }
    }

    private static PrivateKey privateKey(PKCS8EncodedKeySpec spec) throws GeneralSecurityException {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        }
    }
}
