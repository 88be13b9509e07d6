package dev.entramcp.adapter.http.facade;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.entramcp.adapter.http.auth.SigningKeys;
import dev.entramcp.adapter.http.auth.TrustedIssuer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The facade's access tokens: short-lived JWTs (RFC 9068, {@code typ: at+jwt}) signed RS256 with
 * the server's own key, carrying the same claims an Entra v2.0 token would, so that the resource
 * server's one strict verifier checks them exactly as strictly (see {@code TrustedIssuer}).
 *
 * <table>
 *   <caption>Claims</caption>
 *   <tr><td>{@code iss}</td><td>this server (its public base URL)</td></tr>
 *   <tr><td>{@code aud}</td><td>the MCP resource, {@code {issuer}/mcp}, and nothing else</td></tr>
 *   <tr><td>{@code exp}, {@code nbf}, {@code iat}</td><td>minutes, not hours</td></tr>
 *   <tr><td>{@code tid}, {@code oid}</td><td>the user at Entra: what sessions and stored tokens are keyed by</td></tr>
 *   <tr><td>{@code sub}</td><td>a pairwise subject: SHA-256 of {@code iss|tid|oid|client_id}, stable per user and client</td></tr>
 *   <tr><td>{@code azp}, {@code client_id}</td><td>the MCP client</td></tr>
 *   <tr><td>{@code scp}</td><td>the consented scopes, as the domain names them ({@code User.Read})</td></tr>
 *   <tr><td>{@code roles}</td><td>the user's app roles, from Entra's newest ID token (the sign-in's, then each
 *       upstream refresh's): the grant's, as {@link Grants#update} keeps them</td></tr>
 *   <tr><td>{@code idtyp}</td><td>{@code user}: these are never app-only tokens</td></tr>
 *   <tr><td>{@code ver}</td><td>{@code 2.0}: the claim set of an Entra v2.0 token</td></tr>
 *   <tr><td>{@code jti}</td><td>random, unique</td></tr>
 *   <tr><td>{@code grant_id}</td><td>the {@link Grant}; the token is honoured only while it lives</td></tr>
 * </table>
 * No Entra token, and nothing that could be exchanged at Entra, is in it.
 */
public final class FacadeTokens {

    /** The private claim naming the grant. */
    public static final String GRANT_ID = "grant_id";
    /** The {@code ver} the facade's tokens carry and its {@code TrustedIssuer} requires. */
    public static final String VERSION = TrustedIssuer.ENTRA_V2;

    private final FacadeSettings settings;
    private final SigningKeyring keyring;
    private final Clock clock;

    public FacadeTokens(FacadeSettings settings, SigningKeyring keyring, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "'settings' must not be null");
        this.keyring = Objects.requireNonNull(keyring, "'keyring' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    }

    /** An access token. Masks its value in {@code toString}. */
    public record AccessToken(String value, Instant expiresAt) {
        @Override
        public String toString() {
            return "AccessToken[***]";
        }
    }

    /** A new access token for the grant, with {@code scopes} (the grant's, or fewer). */
    public AccessToken issue(Grant grant, SortedSet<String> scopes) {
        if (scopes.isEmpty() || !grant.scopes().containsAll(scopes)) {
            throw new IllegalArgumentException("'scopes' must be a non-empty subset of the grant's scopes");
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(settings.accessTokenLifetime());
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .audience(settings.resource().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(RandomValues.token(16))
                .subject(pairwiseSubject(grant))
                .claim("tid", grant.principal().tenantId())
                .claim("oid", grant.principal().objectId())
                .claim("azp", grant.clientId())
                .claim("client_id", grant.clientId())
                .claim("scp", String.join(" ", scopes))
                .claim("idtyp", "user")
                .claim("ver", VERSION)
                .claim(GRANT_ID, grant.id());
        if (!grant.user().roles().isEmpty()) {
            claims.claim("roles", List.copyOf(grant.user().roles()));
        }
        if (!grant.user().username().isBlank()) {
            claims.claim("preferred_username", grant.user().username());
        }
        if (!grant.user().displayName().isBlank()) {
            claims.claim("name", grant.user().displayName());
        }
        RSAKey key = keyring.current();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("An access token could not be signed", e);
        }
        return new AccessToken(jwt.serialize(), expiresAt);
    }

    /**
     * The grant id of a token this server signed (signature checked against its published keys,
     * issuer checked; expiry not, so that an expired token can still be revoked).
     */
    public Optional<OwnToken> verifyOwn(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            String keyId = jwt.getHeader().getKeyID();
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || keyId == null
                    || !(keyring.verificationKeys().find(keyId) instanceof SigningKeys.Lookup.Found found)
                    || !jwt.verify(found.key().verifier())) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!settings.issuer().equals(claims.getIssuer())) {
                return Optional.empty();
            }
            return Optional.ofNullable(claims.getStringClaim(GRANT_ID))
                    .map(grantId -> new OwnToken(grantId, String.valueOf(claims.getClaim("azp"))));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The grant and client named by one of this server's tokens. */
    public record OwnToken(String grantId, String clientId) {
    }

    /**
     * The {@code iss} and grant id of a token <em>already verified</em> by the resource server's
     * verifier; only parses. Empty if it is not a JWT or has no such claims.
     */
    public static Optional<Named> namedIn(String verifiedToken) {
        try {
            JWTClaimsSet claims = SignedJWT.parse(verifiedToken).getJWTClaimsSet();
            return Optional.of(new Named(claims.getIssuer(), Optional.ofNullable(claims.getStringClaim(GRANT_ID))));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What a verified token names: its issuer and, for the facade's tokens, its grant. */
    public record Named(String issuer, Optional<String> grantId) {
    }

    private String pairwiseSubject(Grant grant) {
        String input = settings.issuer() + "|" + grant.principal().tenantId() + "|" + grant.principal().objectId()
                + "|" + grant.clientId();
        try {
            return RandomValues.base64url(MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
