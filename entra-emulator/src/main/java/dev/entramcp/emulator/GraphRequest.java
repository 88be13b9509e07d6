package dev.entramcp.emulator;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request Graph received, recorded so a test can prove what reached the downstream API, for example that
 * the remote server called Graph with its own On-Behalf-Of token and never forwarded the caller's token.
 *
 * @param method        the HTTP method
 * @param path          the path and raw query, e.g. {@code /graph/v1.0/me?$select=displayName}
 * @param status        the status Graph answered with
 * @param authorization the raw {@code Authorization} header, or null; {@link #toString()} never prints it
 * @param tokenClaims   the bearer token's payload claims, decoded without verification (empty if absent or
 *                      unreadable); {@link #status()} says whether Graph accepted the token
 * @param receivedAt    when it arrived (emulator clock)
 */
public record GraphRequest(String method, String path, int status, String authorization,
                           Map<String, Object> tokenClaims, Instant receivedAt) {

    public GraphRequest {
        Objects.requireNonNull(method, "'method' must not be null");
        Objects.requireNonNull(path, "'path' must not be null");
        tokenClaims = Map.copyOf(Objects.requireNonNull(tokenClaims, "'tokenClaims' must not be null"));
        Objects.requireNonNull(receivedAt, "'receivedAt' must not be null");
    }

    /** The bearer token itself, if the request carried one. */
    public Optional<String> bearerToken() {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(7).trim());
    }

    /** A claim of the token, if present. */
    public Optional<Object> claim(String name) {
        return Optional.ofNullable(tokenClaims.get(name));
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "GraphRequest[" + method + " " + path + " -> " + status + ", azp=" + tokenClaims.get("azp")
                + ", oid=" + tokenClaims.get("oid") + ", authorization=" + (authorization == null ? "none" : "(redacted)")
                + ", receivedAt=" + receivedAt + "]";
    }
}
