package dev.entramcp.adapter.http.facade;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An MCP client the facade knows: registered through {@code /register} (RFC 7591), or described by
 * the Client ID Metadata Document at its {@code client_id} URL.
 *
 * @param clientId        the id: random for a registered client, the document's https URL otherwise
 * @param clientName      the name it gave itself; never verified, and shown as such
 * @param redirectUris    where codes may be sent, matched exactly (any port for loopback http, RFC 8252)
 * @param applicationType {@code web} or {@code native}, which decides the redirect URI rules
 * @param authMethod      how it authenticates at {@code /token} and {@code /revoke}
 * @param secretHash      the keyed hash of its secret, if it has one (never the secret)
 * @param grantTypes      {@code authorization_code}, and {@code refresh_token} if it asked for it
 * @param issuedAt        when it registered (or the document was fetched)
 * @param origin          how the server knows it
 */
public record RegisteredClient(String clientId, Optional<String> clientName, List<String> redirectUris,
                               ApplicationType applicationType, AuthMethod authMethod, Optional<String> secretHash,
                               Set<String> grantTypes, Instant issuedAt, Origin origin) {

    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";

    public RegisteredClient {
        Objects.requireNonNull(clientId, "'clientId' must not be null");
        Objects.requireNonNull(clientName, "'clientName' must not be null");
        redirectUris = List.copyOf(redirectUris);
        Objects.requireNonNull(applicationType, "'applicationType' must not be null");
        Objects.requireNonNull(authMethod, "'authMethod' must not be null");
        Objects.requireNonNull(secretHash, "'secretHash' must not be null");
        grantTypes = Set.copyOf(grantTypes);
        Objects.requireNonNull(issuedAt, "'issuedAt' must not be null");
        Objects.requireNonNull(origin, "'origin' must not be null");
        if (authMethod == AuthMethod.NONE && secretHash.isPresent()) {
            throw new IllegalArgumentException("a public client has no secret");
        }
        if (authMethod != AuthMethod.NONE && secretHash.isEmpty()) {
            throw new IllegalArgumentException("a confidential client needs a secret");
        }
    }

    /** What the consent page calls the client. */
    public String displayName() {
        return clientName.orElse(clientId);
    }

    /** For a metadata-document client: the host serving the document, which the consent page shows. */
    public Optional<String> documentHost() {
        return origin == Origin.METADATA_DOCUMENT ? Optional.ofNullable(URI.create(clientId).getHost()) : Optional.empty();
    }

    public boolean mayRefresh() {
        return grantTypes.contains(REFRESH_TOKEN);
    }

    /** OpenID Connect Dynamic Client Registration's {@code application_type}. */
    public enum ApplicationType {
        /** Runs on a server: https redirect URIs on a real host only. */
        WEB,
        /** Runs on the user's device: loopback http (any port), or a claimed https URL. */
        NATIVE;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<ApplicationType> parse(String value) {
            return switch (value) {
                case "web" -> Optional.of(WEB);
                case "native" -> Optional.of(NATIVE);
                default -> Optional.empty();
            };
        }
    }

    /** RFC 7591 {@code token_endpoint_auth_method}, the three this server supports. */
    public enum AuthMethod {
        /** A public client: no secret; PKCE alone binds the code to it. */
        NONE("none"),
        /** The secret in HTTP Basic authentication (RFC 6749 section 2.3.1). */
        CLIENT_SECRET_BASIC("client_secret_basic"),
        /** The secret in the form body. */
        CLIENT_SECRET_POST("client_secret_post");

        private final String value;

        AuthMethod(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        static Optional<AuthMethod> parse(String value) {
            for (AuthMethod method : values()) {
                if (method.value.equals(value)) {
                    return Optional.of(method);
                }
            }
            return Optional.empty();
        }
    }

    /** How the server knows the client. */
    public enum Origin {
        /** It registered itself at {@code /register}. */
        REGISTERED,
        /** Its {@code client_id} is the https URL of its metadata document. */
        METADATA_DOCUMENT
    }
}
