package dev.entramcp.adapter.http.auth;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code WWW-Authenticate: Bearer ...} challenge, as RFC 6750 and the MCP authorization spec
 * (2025-11-25) want it: {@code resource_metadata} (RFC 9728) so that a client can discover the
 * authorization server, {@code scope} so that it knows what to ask for, and {@code error} /
 * {@code error_description} once a token was presented.
 *
 * <p>Attribute values are quoted strings; RFC 6750 allows only printable ASCII without {@code "}
 * and {@code \} in them, so any other character is replaced rather than escaped.
 */
public record BearerChallenge(Optional<String> error, Optional<String> errorDescription, URI resourceMetadata,
                              List<String> scopes) {

    public static final String INVALID_TOKEN = "invalid_token";
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";
    public static final String INVALID_REQUEST = "invalid_request";

    public BearerChallenge {
        Objects.requireNonNull(error, "'error' must not be null");
        Objects.requireNonNull(errorDescription, "'errorDescription' must not be null");
        Objects.requireNonNull(resourceMetadata, "'resourceMetadata' must not be null");
        scopes = List.copyOf(scopes);
    }

    /** No token was presented: say where to find the metadata and which scopes to ask for. */
    public static BearerChallenge missingToken(URI resourceMetadata, Collection<String> scopes) {
        return new BearerChallenge(Optional.empty(), Optional.empty(), resourceMetadata, List.copyOf(scopes));
    }

    /** A token was presented and refused (malformed, bad signature, expired, wrong audience...). */
    public static BearerChallenge invalidToken(URI resourceMetadata, Collection<String> scopes, String description) {
        return new BearerChallenge(Optional.of(INVALID_TOKEN), Optional.of(description), resourceMetadata, List.copyOf(scopes));
    }

    /** The token is valid but lacks scopes: {@code scopes} lists every scope the operation needs (step-up). */
    public static BearerChallenge insufficientScope(URI resourceMetadata, Collection<String> scopes, String description) {
        return new BearerChallenge(Optional.of(INSUFFICIENT_SCOPE), Optional.of(description), resourceMetadata, List.copyOf(scopes));
    }

    /** The request itself is malformed, e.g. a token sent in the query string. */
    public static BearerChallenge invalidRequest(URI resourceMetadata, Collection<String> scopes, String description) {
        return new BearerChallenge(Optional.of(INVALID_REQUEST), Optional.of(description), resourceMetadata, List.copyOf(scopes));
    }

    /** The header value, e.g. {@code Bearer error="invalid_token", error_description="...", resource_metadata="...", scope="..."}. */
    public String headerValue() {
        List<String> parameters = new ArrayList<>();
        error.ifPresent(value -> parameters.add("error=" + quoted(value)));
        errorDescription.ifPresent(value -> parameters.add("error_description=" + quoted(value)));
        parameters.add("resource_metadata=" + quoted(resourceMetadata.toString()));
        if (!scopes.isEmpty()) {
            parameters.add("scope=" + quoted(String.join(" ", scopes)));
        }
        return "Bearer " + String.join(", ", parameters);
    }

    private static String quoted(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        value.codePoints().forEach(c -> quoted.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? (char) c : '?'));
        return quoted.append('"').toString();
    }
}
