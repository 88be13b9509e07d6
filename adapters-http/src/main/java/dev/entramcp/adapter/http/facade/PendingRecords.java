package dev.entramcp.adapter.http.facade;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The short-lived records of an authorization in progress, as stored (sealed) between the steps.
 * Each is keyed by the SHA-256 of the one-time value that finds it again, and taken (read and
 * deleted atomically) when used, so that each step happens once.
 *
 * <pre>
 * GET /authorize        -> Consent     (key: SHA-256 of the consent ticket in the page; 10 minutes)
 * POST /authorize/consent -> UpstreamState (key: SHA-256 of the server's own state; 10 minutes;
 *                            bound to the browser by the SHA-256 of its sign-in cookie)
 * POST /auth/callback   -> Code        (key: SHA-256 of the code given to the client; about a minute)
 * POST /token           -> RedeemedCode (key: SHA-256 of the code; to recognise a replayed code)
 * </pre>
 */
final class PendingRecords {

    static final String CONSENTS = "consents";
    static final String UPSTREAM_STATES = "upstream-states";
    static final String CODES = "codes";
    static final String REDEEMED_CODES = "redeemed-codes";

    private PendingRecords() {
    }

    /** The MCP client's validated authorization request. */
    record Request(@JsonProperty("client_id") String clientId,
                   @JsonProperty("redirect_uri") String redirectUri,
                   @JsonProperty("code_challenge") String codeChallenge,
                   @JsonProperty("state") String state,
                   @JsonProperty("scopes") List<String> scopes,
                   @JsonProperty("resource") String resource) {
    }

    /** A consent page shown, waiting for the user's answer. */
    record Consent(@JsonProperty("request") Request request,
                   @JsonProperty("csrf_hash") String csrfHash,
                   @JsonProperty("browser_hash") String browserHash,
                   @JsonProperty("created_at") long createdAt) {
        @Override
        public String toString() {
            return "Consent[***]";
        }
    }

    /**
     * The user consented and was sent to Entra with the server's own state, nonce and PKCE; the
     * browser that did got a sign-in cookie, whose SHA-256 is {@code browserBindingHash}.
     */
    record UpstreamState(@JsonProperty("request") Request request,
                         @JsonProperty("nonce") String nonce,
                         @JsonProperty("code_verifier") String codeVerifier,
                         @JsonProperty("browser_binding_hash") String browserBindingHash,
                         @JsonProperty("created_at") long createdAt) {
        @Override
        public String toString() {
            return "UpstreamState[***]";
        }
    }

    /** The user signed in; the client holds a code for this, bound to its id, redirect URI and challenge. */
    record Code(@JsonProperty("request") Request request,
                @JsonProperty("tid") String tenantId,
                @JsonProperty("oid") String objectId,
                @JsonProperty("username") String username,
                @JsonProperty("name") String displayName,
                @JsonProperty("roles") List<String> roles,
                @JsonProperty("granted_scopes") List<String> grantedScopes,
                @JsonProperty("upstream_access_token") String upstreamAccessToken,
                @JsonProperty("upstream_expires_at") long upstreamExpiresAt,
                @JsonProperty("upstream_refresh_token") String upstreamRefreshToken,
                @JsonProperty("upstream_scopes") List<String> upstreamScopes,
                @JsonProperty("issued_at") long issuedAt) {
        @Override
        public String toString() {
            return "Code[***]";
        }
    }

    /**
     * A code being or already exchanged, and the grant it creates (its id is chosen before the grant
     * exists): a second use of the code marks it {@code replayed} and revokes that grant.
     */
    record RedeemedCode(@JsonProperty("grant_id") String grantId, @JsonProperty("replayed") boolean replayed) {
    }
}
