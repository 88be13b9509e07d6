package dev.entramcp.adapter.http.facade;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Client metadata (RFC 7591 section 2), read the same way from a registration request and from a
 * Client ID Metadata Document: what the server uses is checked, the rest is ignored (and never
 * shown: a {@code logo_uri} or {@code client_uri} would only help a phishing page look genuine).
 *
 * @param clientName      sanitised: printable characters, at most {@link #MAX_NAME_LENGTH}
 * @param redirectUris    checked against the rules of {@code applicationType}
 * @param applicationType as given, or inferred from the redirect URIs when absent
 * @param authMethod      as given, or RFC 7591's default {@code client_secret_basic}
 * @param grantTypes      always with {@code authorization_code}
 */
record ClientMetadata(Optional<String> clientName, List<String> redirectUris,
                      RegisteredClient.ApplicationType applicationType, RegisteredClient.AuthMethod authMethod,
                      Set<String> grantTypes) {

    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_REDIRECT_URIS = 10;

    /**
     * Reads and checks the metadata.
     *
     * @param defaultAuthMethod what an absent {@code token_endpoint_auth_method} means
     * @throws OAuthError {@code invalid_redirect_uri} or {@code invalid_client_metadata}, saying what is wrong
     */
    static ClientMetadata parse(JsonNode metadata, RegisteredClient.AuthMethod defaultAuthMethod) {
        if (metadata == null || !metadata.isObject()) {
            throw metadataError("the client metadata must be a JSON object");
        }
        JsonNode uris = metadata.get("redirect_uris");
        if (uris == null || !uris.isArray() || uris.isEmpty()) {
            throw new OAuthError(400, OAuthError.INVALID_REDIRECT_URI, "redirect_uris must list at least one redirect URI");
        }
        if (uris.size() > MAX_REDIRECT_URIS) {
            throw new OAuthError(400, OAuthError.INVALID_REDIRECT_URI, "at most " + MAX_REDIRECT_URIS + " redirect URIs may be registered");
        }
        List<String> redirectUris = new ArrayList<>();
        for (JsonNode uri : uris) {
            if (!uri.isTextual()) {
                throw new OAuthError(400, OAuthError.INVALID_REDIRECT_URI, "redirect_uris must be strings");
            }
            if (!redirectUris.contains(uri.asText())) {
                redirectUris.add(uri.asText());
            }
        }

        RegisteredClient.ApplicationType type;
        Optional<String> declaredType = text(metadata, "application_type");
        if (declaredType.isPresent()) {
            type = RegisteredClient.ApplicationType.parse(declaredType.get())
                    .orElseThrow(() -> metadataError("application_type must be web or native"));
        } else {
            type = RedirectUris.inferredType(redirectUris);
        }
        for (String uri : redirectUris) {
            Optional<String> problem = RedirectUris.problem(uri, type);
            if (problem.isPresent()) {
                throw new OAuthError(400, OAuthError.INVALID_REDIRECT_URI, problem.get());
            }
        }

        RegisteredClient.AuthMethod authMethod = text(metadata, "token_endpoint_auth_method")
                .map(value -> RegisteredClient.AuthMethod.parse(value).orElseThrow(() -> metadataError(
                        "token_endpoint_auth_method must be none, client_secret_basic or client_secret_post")))
                .orElse(defaultAuthMethod);

        Set<String> grantTypes = strings(metadata, "grant_types", List.of(RegisteredClient.AUTHORIZATION_CODE));
        if (!Set.of(RegisteredClient.AUTHORIZATION_CODE, RegisteredClient.REFRESH_TOKEN).containsAll(grantTypes)
                || !grantTypes.contains(RegisteredClient.AUTHORIZATION_CODE)) {
            throw metadataError("grant_types must be authorization_code, optionally with refresh_token");
        }
        Set<String> responseTypes = strings(metadata, "response_types", List.of("code"));
        if (!responseTypes.equals(Set.of("code"))) {
            throw metadataError("response_types must be [code]: only the authorization code flow is supported");
        }
        return new ClientMetadata(text(metadata, "client_name").map(ClientMetadata::sanitisedName).filter(n -> !n.isBlank()),
                redirectUris, type, authMethod, grantTypes);
    }

    /** Printable characters only (no control or bidi characters that could disguise a name), shortened. */
    static String sanitisedName(String name) {
        StringBuilder clean = new StringBuilder();
        name.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                .limit(MAX_NAME_LENGTH).forEach(clean::appendCodePoint);
        return clean.toString().strip();
    }

    private static Optional<String> text(JsonNode metadata, String field) {
        JsonNode value = metadata.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw metadataError(field + " must be a string");
        }
        return Optional.of(value.asText());
    }

    private static Set<String> strings(JsonNode metadata, String field, List<String> defaults) {
        JsonNode value = metadata.get(field);
        if (value == null || value.isNull()) {
            return new LinkedHashSet<>(defaults);
        }
        if (!value.isArray()) {
            throw metadataError(field + " must be an array of strings");
        }
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw metadataError(field + " must be an array of strings");
            }
            values.add(item.asText());
        }
        return values;
    }

    private static OAuthError metadataError(String description) {
        return new OAuthError(400, OAuthError.INVALID_CLIENT_METADATA, description);
    }
}
