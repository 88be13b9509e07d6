package dev.entramcp.adapter.entra;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the confidential client proves its own identity to Entra. Prefer what needs no stored
 * secret: a managed identity or a federated (workload identity) token; then a certificate; a client
 * secret last.
 */
public sealed interface ClientCredentialConfig {

    /** Settings names, as azure-identity's {@code EnvironmentCredential} reads them. */
    String CLIENT_SECRET = "AZURE_CLIENT_SECRET";
    String CLIENT_CERTIFICATE_PATH = "AZURE_CLIENT_CERTIFICATE_PATH";
    String CLIENT_CERTIFICATE_PASSWORD = "AZURE_CLIENT_CERTIFICATE_PASSWORD";
    String FEDERATED_TOKEN_FILE = "AZURE_FEDERATED_TOKEN_FILE";
    String MANAGED_IDENTITY_CLIENT_ID = "AZURE_MANAGED_IDENTITY_CLIENT_ID";

    /** The audience of the managed identity token used as a federated client assertion. */
    String TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

    /** The configuration name of this kind ({@code secret}, {@code certificate}, ...). */
    String kind();

    /**
     * Chooses the credential by its kind and reads the settings it needs; the error lists the
     * kinds, or names the missing setting. Settings are looked up by the names above, for example
     * with {@code System::getenv}.
     */
    static ClientCredentialConfig of(String kind, Function<String, String> settings) {
        Objects.requireNonNull(settings, "'settings' must not be null");
        String normalized = kind == null ? "" : kind.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (normalized) {
            case "secret" -> new ClientSecret(required(settings, CLIENT_SECRET, normalized));
            case "certificate" -> new Certificate(Path.of(required(settings, CLIENT_CERTIFICATE_PATH, normalized)),
                    Optional.ofNullable(settings.apply(CLIENT_CERTIFICATE_PASSWORD)));
            case "federated" -> FederatedToken.readable(Path.of(required(settings, FEDERATED_TOKEN_FILE, normalized)));
            case "managed-identity" -> new ManagedIdentity(Optional.ofNullable(settings.apply(MANAGED_IDENTITY_CLIENT_ID))
                    .filter(id -> !id.isBlank()));
            default -> throw new IllegalArgumentException("Unknown client credential kind '" + kind
                    + "': use one of secret, certificate, federated, managed-identity");
        };
    }

    private static String required(Function<String, String> settings, String name, String kind) {
        String value = settings.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Client credential '" + kind + "' needs the setting " + name);
        }
        return value;
    }

    /** A client secret. Masked in {@code toString}. */
    record ClientSecret(String value) implements ClientCredentialConfig {
        public ClientSecret {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("'value' must not be blank");
            }
        }

        @Override
        public String kind() {
            return "secret";
        }

        @Override
        public String toString() {
            return "ClientSecret[***]";
        }
    }

    /**
     * A certificate with its private key: a PEM file (an unencrypted PKCS#8 {@code PRIVATE KEY}, or an
     * {@code ENCRYPTED PRIVATE KEY} with the password, plus its {@code CERTIFICATE} chain) or a PKCS#12
     * file with its password. The password is masked in {@code toString}.
     */
    record Certificate(Path file, Optional<String> password) implements ClientCredentialConfig {
        public Certificate {
            Objects.requireNonNull(file, "'file' must not be null");
            Objects.requireNonNull(password, "'password' must not be null");
        }

        @Override
        public String kind() {
            return "certificate";
        }

        @Override
        public String toString() {
            return "Certificate[file=" + file + ", password=" + (password.isPresent() ? "***" : "none") + "]";
        }
    }

    /**
     * A federated client assertion (workload identity): a token file that the platform rotates,
     * read afresh for every token request ({@code AZURE_FEDERATED_TOKEN_FILE}). The file must be
     * readable when the server starts: a missing one (a workload identity not yet injected into
     * the pod, say) stops the start rather than failing every call later.
     */
    record FederatedToken(Path tokenFile) implements ClientCredentialConfig {
        public FederatedToken {
            Objects.requireNonNull(tokenFile, "'tokenFile' must not be null");
        }

        /**
         * This file, if it is a readable regular file; otherwise an error naming the setting and the
         * path (never the content).
         */
        public static FederatedToken readable(Path tokenFile) {
            Objects.requireNonNull(tokenFile, "'tokenFile' must not be null");
            if (!java.nio.file.Files.isRegularFile(tokenFile) || !java.nio.file.Files.isReadable(tokenFile)) {
                throw new IllegalArgumentException("Client credential 'federated': " + FEDERATED_TOKEN_FILE + " names "
                        + tokenFile + ", which is not a readable file; mount the workload identity token there or "
                        + "correct " + FEDERATED_TOKEN_FILE);
            }
            return new FederatedToken(tokenFile);
        }

        @Override
        public String kind() {
            return "federated";
        }
    }

    /**
     * A managed identity (system-assigned, or user-assigned by client id) supplies the client
     * assertion: a token for {@code api://AzureADTokenExchange}, trusted by a federated credential
     * on the app registration.
     */
    record ManagedIdentity(Optional<String> userAssignedClientId) implements ClientCredentialConfig {
        public ManagedIdentity {
            Objects.requireNonNull(userAssignedClientId, "'userAssignedClientId' must not be null");
        }

        @Override
        public String kind() {
            return "managed-identity";
        }
    }
}
