package dev.entramcp.adapter.http.auth;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Builds this server's bearer challenges. It knows the two facts every challenge needs: where the
 * Protected Resource Metadata is ({@code resource_metadata}), and how a scope the domain names
 * ({@code Mail.Send}) is requested from the authorization server ({@code api://<app>/Mail.Send}).
 *
 * @param resourceMetadata the URL of this resource's RFC 9728 metadata document
 * @param scopePrefix      what turns a domain scope into a requestable one, e.g. {@code api://<app-id>/};
 *                         empty when the authorization server uses the bare names
 * @param defaultScopes    the requestable scopes to advertise when no specific operation is known
 */
public record Challenges(URI resourceMetadata, String scopePrefix, List<String> defaultScopes) {

    public Challenges {
        Objects.requireNonNull(resourceMetadata, "'resourceMetadata' must not be null");
        Objects.requireNonNull(scopePrefix, "'scopePrefix' must not be null");
        defaultScopes = List.copyOf(defaultScopes);
    }

    /** 401 without a token. */
    public BearerChallenge missingToken() {
        return BearerChallenge.missingToken(resourceMetadata, defaultScopes);
    }

    /** 401 for a refused token; {@code description} says why in a few safe words (never the token). */
    public BearerChallenge invalidToken(String description) {
        return BearerChallenge.invalidToken(resourceMetadata, defaultScopes, description);
    }

    /** 400 for a malformed request, such as a token in the query string. */
    public BearerChallenge invalidRequest(String description) {
        return BearerChallenge.invalidRequest(resourceMetadata, defaultScopes, description);
    }

    /** 403 step-up: {@code domainScopes} are every scope the operation needs, in the domain's names. */
    public BearerChallenge insufficientScope(Collection<String> domainScopes, String description) {
        return BearerChallenge.insufficientScope(resourceMetadata, requestable(domainScopes), description);
    }

    /** The domain's scope names as a client must request them. */
    public List<String> requestable(Collection<String> domainScopes) {
        return domainScopes.stream().map(scope -> scopePrefix + scope).toList();
    }
}
