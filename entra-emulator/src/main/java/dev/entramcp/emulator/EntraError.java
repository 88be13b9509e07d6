package dev.entramcp.emulator;

/**
 * A refusal shaped like Entra's: an OAuth {@code error}, an {@code AADSTSnnnnn} code with its message,
 * the HTTP status Entra uses, and optionally a {@code suberror} (msal4j reads it to decide whether
 * user interaction can fix the problem).
 *
 * <p>Thrown inside the emulator and turned into a JSON body (token endpoints) or a redirect / error page
 * (authorize endpoint) at the edge. It carries no stack trace: it is an expected outcome, not a bug.
 */
final class EntraError extends RuntimeException {

    private final int status;
    private final String error;
    private final int code;
    private final String suberror;
    private final String claims;

    EntraError(int status, String error, int code, String message, String suberror) {
        this(status, error, code, message, suberror, null);
    }

    private EntraError(int status, String error, int code, String message, String suberror, String claims) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.code = code;
        this.suberror = suberror;
        this.claims = claims;
    }

    static EntraError invalidRequest(int code, String message) {
        return new EntraError(400, "invalid_request", code, message, null);
    }

    static EntraError missingParameter(String name) {
        return invalidRequest(900144, "The request body must contain the following parameter: '" + name + "'.");
    }

    static EntraError invalidGrant(int code, String message) {
        return new EntraError(400, "invalid_grant", code, message, null);
    }

    static EntraError invalidClient(int code, String message) {
        return new EntraError(401, "invalid_client", code, message, null);
    }

    static EntraError unauthorizedClient(int code, String message) {
        return new EntraError(400, "unauthorized_client", code, message, null);
    }

    static EntraError invalidScope(int code, String message) {
        return new EntraError(400, "invalid_scope", code, message, null);
    }

    /** AADSTS65001: the user (or an admin) has not consented; only an interactive request can fix it. */
    static EntraError consentRequired(AppRegistration client) {
        return new EntraError(400, "invalid_grant", 65001,
                "The user or administrator has not consented to use the application with ID '" + client.clientId()
                        + "' named '" + client.displayName()
                        + "'. Send an interactive authorization request for this user and resource.",
                "consent_required");
    }

    /**
     * AADSTS50076: a Conditional Access policy demands multi-factor authentication that the presented grant
     * (a refresh token, or the assertion of an On-Behalf-Of request) does not carry. Entra adds a claims
     * challenge naming the policy, which the client passes to its next interactive request (or, for an API
     * doing On-Behalf-Of, sends back to its own client).
     *
     * @param error    {@code invalid_grant} (with {@code suberror=basic_action}, as Entra answers a refresh)
     *                 or {@code interaction_required} (as Entra's On-Behalf-Of documentation shows)
     * @param resource the app id of the resource the token was asked for
     * @param policyId the Conditional Access policy the claims challenge names
     */
    static EntraError mfaRequired(String error, String resource, String policyId) {
        return new EntraError(400, error, 50076, "Due to a configuration change made by your administrator, or"
                + " because you moved to a new location, you must use multi-factor authentication to access '"
                + resource + "'.", "invalid_grant".equals(error) ? "basic_action" : null,
                "{\"access_token\":{\"capolids\":{\"essential\":true,\"values\":[\"" + policyId + "\"]}}}");
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }

    int code() {
        return code;
    }

    /** {@code AADSTSnnnnn: message}, the way Entra starts every {@code error_description}. */
    String description() {
        return "AADSTS" + code + ": " + getMessage();
    }

    String suberror() {
        return suberror;
    }

    /** The claims challenge (a JSON object as a string) the client must satisfy, or null. */
    String claims() {
        return claims;
    }
}
