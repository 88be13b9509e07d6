package dev.entramcp.adapter.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.model.UserAssertion;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a bearer token is a genuine, current access token for this server, and who it
 * speaks for. It is the strict part of authentication, and knows nothing of HTTP or Micronaut.
 *
 * <h2>What a token must be</h2>
 * <ol>
 *   <li><b>A signed JWT</b> in compact form: unsigned ({@code alg=none}) and encrypted tokens are
 *       refused, and so is any {@code alg} the issuer was not configured for (RS256 by default).
 *       HMAC is never possible: keys are RSA or EC, and the verifier comes from the key type.
 *       The {@code jku}, {@code x5u} and {@code jwk} headers are ignored: keys come only from
 *       the issuer's configured key source, looked up by {@code kid}.</li>
 *   <li><b>From a trusted issuer:</b> {@code iss} must equal, character for character, one of the
 *       {@link TrustedIssuer}s (for Entra {@code https://login.microsoftonline.com/{tid}/v2.0}
 *       for an allowed tenant).</li>
 *   <li><b>Signed by that issuer's key</b>, found by {@code kid} in memory; an unknown {@code kid}
 *       is refused now and makes the key source refetch in the background, at a bounded rate.</li>
 *   <li><b>Current:</b> {@code exp} required, {@code nbf} honoured, both with a bounded clock skew.</li>
 *   <li><b>For this server:</b> {@code aud} must name exactly one audience, and it must be ours
 *       (the API's client id or App ID URI): a token valid for several resources could be
 *       replayed by any of them. A Microsoft Graph token, which a client might try to pass
 *       through, is refused with a description that says so, before the signature check (whose
 *       failure would hide the mistake, see {@link #isGraphAudience}).</li>
 *   <li><b>An Entra v2.0 token:</b> {@code ver} must be {@code 2.0}. A v1.0 token (issuer
 *       {@code https://sts.windows.net/{tid}/}) is refused with the fix: set
 *       {@code requestedAccessTokenVersion: 2} in the API's app manifest.</li>
 *   <li><b>Complete:</b> {@code tid} (matching the issuer's tenant), {@code oid} and {@code azp}
 *       are required. Requiring {@code azp} also rules out ID tokens, which share {@code iss} and,
 *       for the API's own sign-ins, {@code aud}, but never carry {@code azp}.</li>
 * </ol>
 *
 * <h2>User or application</h2>
 * Entra issues two kinds of access token. A <em>delegated</em> token (an app acting for a
 * signed-in user) carries the consented scopes in {@code scp} and the user's app roles in
 * {@code roles}. An <em>app-only</em> token (client credentials) has no {@code scp}, carries the
 * application's app roles in {@code roles}, and its {@code sub} equals its {@code oid} (both are
 * the client's service principal; a user's {@code sub} is a per-application pairwise id, never
 * the {@code oid}). When the API requests the optional claim {@code idtyp}, Entra states the kind
 * outright ({@code app} or {@code user}) and that is used, after checking it agrees with
 * {@code scp}. Without it, a token with {@code scp} is a user's, and a token without {@code scp},
 * with {@code roles} and {@code oid == sub} is an application's; anything else is refused rather
 * than guessed.
 *
 * <h2>Cost</h2>
 * A verified token is remembered in a bounded cache keyed by its SHA-256 (see
 * {@link VerifiedTokenCache}); a hit re-checks {@code exp} and that the signing key is still
 * published, and does not parse the token again.
 */
public final class BearerTokenVerifier {

    /** Longer than any Entra access token (which are a few kilobytes), short enough to bound parsing. */
    public static final int MAX_TOKEN_LENGTH = 16 * 1024;
    /** The largest clock skew that can be configured. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** Microsoft Graph's application id and resource URIs: a token for Graph is never for us. */
    static final Set<String> GRAPH_AUDIENCES = Set.of("00000003-0000-0000-c000-000000000000",
            "https://graph.microsoft.com", "https://graph.microsoft.com/");

    static final TokenVerification MALFORMED = new TokenVerification.Rejected("malformed token");
    static final TokenVerification UNSIGNED = new TokenVerification.Rejected("unsigned tokens are not accepted");
    static final TokenVerification ENCRYPTED = new TokenVerification.Rejected("encrypted tokens are not accepted");
    static final TokenVerification ALGORITHM = new TokenVerification.Rejected("signing algorithm is not accepted");
    static final TokenVerification TOKEN_TYPE = new TokenVerification.Rejected("token type is not accepted");
    static final TokenVerification CRITICAL = new TokenVerification.Rejected("critical header parameters are not supported");
    static final TokenVerification NO_KEY_ID = new TokenVerification.Rejected("token has no key id (kid)");
    static final TokenVerification UNTRUSTED_ISSUER = new TokenVerification.Rejected("issuer is not trusted");
    static final TokenVerification TENANT_NOT_ALLOWED = new TokenVerification.Rejected("tenant is not allowed");
    static final TokenVerification UNKNOWN_KEY = new TokenVerification.Rejected("signing key is not known");
    static final TokenVerification KEY_MISMATCH = new TokenVerification.Rejected("signing key does not match the algorithm");
    static final TokenVerification BAD_SIGNATURE = new TokenVerification.Rejected("signature is invalid");
    static final TokenVerification EXPIRED = new TokenVerification.Rejected("token has expired");
    static final TokenVerification NOT_YET_VALID = new TokenVerification.Rejected("token is not yet valid");
    static final TokenVerification ONE_AUDIENCE = new TokenVerification.Rejected("token must name exactly one audience");
    static final TokenVerification WRONG_AUDIENCE = new TokenVerification.Rejected("audience is not this server");
    static final TokenVerification GRAPH_AUDIENCE = new TokenVerification.Rejected(
            "audience is Microsoft Graph, not this server: request a token for this server's scopes");
    static final TokenVerification V1_TOKEN = new TokenVerification.Rejected(
            "v1.0 tokens are not accepted: set requestedAccessTokenVersion: 2 in the API app manifest");
    static final TokenVerification WRONG_VERSION = new TokenVerification.Rejected("token version is not accepted");
    static final TokenVerification TENANT_MISMATCH = new TokenVerification.Rejected("tid does not match the issuer");
    static final TokenVerification NOT_GUIDS = new TokenVerification.Rejected("tid and oid must be GUIDs");
    static final TokenVerification NO_GRANT = new TokenVerification.Rejected(
            "token carries neither delegated scopes (scp) nor app roles of an application");
    static final TokenVerification KIND_CONFLICT = new TokenVerification.Rejected("idtyp contradicts the token's claims");
    static final TokenVerification NO_KEYS = new TokenVerification.Unavailable("signing keys are not available yet");

    private static final Set<String> ACCEPTED_TYPES = Set.of("jwt", "at+jwt", "application/at+jwt");
    private static final boolean[] COMPACT_SYNTAX = new boolean[256];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            COMPACT_SYNTAX[c] = true;
            COMPACT_SYNTAX[Character.toLowerCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            COMPACT_SYNTAX[c] = true;
        }
        COMPACT_SYNTAX['-'] = true;
        COMPACT_SYNTAX['_'] = true;
        COMPACT_SYNTAX['.'] = true;
    }
    private static final int MAX_NAME_LENGTH = 256;

    private final Map<String, TrustedIssuer> issuers;
    private final Set<JWSAlgorithm> anyIssuerAlgorithms;
    private final Duration clockSkew;
    private final Clock clock;
    private final VerifiedTokenCache cache;

    /**
     * @param trustedIssuers every issuer whose tokens are accepted; no two may share an {@code iss}
     * @param clockSkew      tolerance on {@code exp} and {@code nbf}, from 0 to {@link #MAX_CLOCK_SKEW}
     * @param clock          the time source
     * @param cacheSize      how many verified tokens to remember (0 disables the cache)
     */
    public BearerTokenVerifier(List<TrustedIssuer> trustedIssuers, Duration clockSkew, Clock clock, int cacheSize) {
        Objects.requireNonNull(trustedIssuers, "'trustedIssuers' must not be null");
        if (trustedIssuers.isEmpty()) {
            throw new IllegalArgumentException("'trustedIssuers' must not be empty");
        }
        Map<String, TrustedIssuer> byIssuer = new HashMap<>();
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (TrustedIssuer issuer : trustedIssuers) {
            Objects.requireNonNull(issuer, "'trustedIssuers' must not contain null");
            if (byIssuer.put(issuer.issuer(), issuer) != null) {
                throw new IllegalArgumentException("two trusted issuers share the iss " + issuer.issuer());
            }
            algorithms.addAll(issuer.algorithms());
        }
        Objects.requireNonNull(clockSkew, "'clockSkew' must not be null");
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("'clockSkew' must be between 0 and " + MAX_CLOCK_SKEW.toMinutes() + " minutes");
        }
        this.issuers = Map.copyOf(byIssuer);
        this.anyIssuerAlgorithms = Set.copyOf(algorithms);
        this.clockSkew = clockSkew;
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.cache = new VerifiedTokenCache(cacheSize, clockSkew, clock);
    }

    /** The trusted issuers, by {@code iss}. */
    public Set<String> trustedIssuers() {
        return issuers.keySet();
    }

    /** Checks one token (the bare token, without the {@code Bearer} scheme). Never throws for a bad token. */
    public TokenVerification verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return MALFORMED;
        }
        // One byte per character (a character above U+00FF becomes '?', which is refused next).
        byte[] bytes = token.getBytes(StandardCharsets.ISO_8859_1);
        if (!isCompactSyntax(bytes)) {
            return MALFORMED;
        }
        VerifiedTokenCache.TokenDigest digest = cache.enabled() ? VerifiedTokenCache.digest(bytes) : null;
        if (digest != null) {
            Optional<VerifiedTokenCache.Entry> remembered = cache.get(digest);
            if (remembered.isPresent()) {
                VerifiedTokenCache.Entry entry = remembered.get();
                if (!clock.instant().isBefore(entry.expiresAt().plus(clockSkew))) {
                    cache.invalidate(digest);
                    return EXPIRED;
                }
                if (entry.issuer().keys().find(entry.key().keyId()) instanceof SigningKeys.Lookup.Found found
                        && found.key() == entry.key()) {
                    return verified(entry.caller(), entry.expiresAt(), entry.issuer(), token);
                }
                cache.invalidate(digest);
            }
        }
        try {
            return verifyFully(token, digest);
        } catch (Refusal refusal) {
            return refusal.outcome;
        }
    }

    private TokenVerification verifyFully(String token, VerifiedTokenCache.TokenDigest digest) throws Refusal {
        SignedJWT jwt = parseSigned(token);
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm algorithm = header.getAlgorithm();
        refuseIf(!anyIssuerAlgorithms.contains(algorithm), ALGORITHM);
        refuseIf(header.getType() != null && !isAcceptedType(header.getType()), TOKEN_TYPE);
        refuseIf(header.getCriticalParams() != null && !header.getCriticalParams().isEmpty(), CRITICAL);
        String keyId = header.getKeyID();
        refuseIf(keyId == null || keyId.isBlank(), NO_KEY_ID);

        JWTClaimsSet claims = claimsOf(jwt);
        String iss = requiredString(claims, "iss");
        TrustedIssuer issuer = issuers.get(iss);
        if (issuer == null) {
            throw new Refusal(describeUnknownIssuer(iss, claims));
        }
        refuseIf(!issuer.algorithms().contains(algorithm), ALGORITHM);
        refuseIf(isGraphAudience(claims.getAudience()), GRAPH_AUDIENCE);

        SigningKeys.Lookup lookup = issuer.keys().find(keyId);
        if (!(lookup instanceof SigningKeys.Lookup.Found found)) {
            throw new Refusal(lookup == SigningKeys.Lookup.Missing.NOT_LOADED ? NO_KEYS : UNKNOWN_KEY);
        }
        VerificationKey key = found.key();
        refuseIf(!key.accepts(algorithm), KEY_MISMATCH);
        try {
            refuseIf(!jwt.verify(key.verifier()), BAD_SIGNATURE);
        } catch (JOSEException | IllegalStateException e) {
            throw new Refusal(BAD_SIGNATURE);
        }

        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        refuseIf(exp == null, missing("exp"));
        Instant expiresAt = exp.toInstant();
        refuseIf(!now.isBefore(expiresAt.plus(clockSkew)), EXPIRED);
        Date nbf = claims.getNotBeforeTime();
        refuseIf(nbf != null && now.plus(clockSkew).isBefore(nbf.toInstant()), NOT_YET_VALID);

        checkAudience(claims.getAudience(), issuer);
        if (issuer.requiredVersion().isPresent()) {
            String version = optionalString(claims, "ver");
            if (!issuer.requiredVersion().get().equals(version)) {
                throw new Refusal("1.0".equals(version) ? V1_TOKEN : WRONG_VERSION);
            }
        }
        String tenantId = requiredString(claims, "tid");
        refuseIf(!issuer.tenants().contains(tenantId.toLowerCase(Locale.ROOT)), TENANT_MISMATCH);

        CallerIdentity caller = callerFrom(claims, tenantId);
        if (digest != null) {
            cache.put(digest, new VerifiedTokenCache.Entry(caller, expiresAt, issuer, key));
        }
        return verified(caller, expiresAt, issuer, token);
    }

    private static TokenVerification verified(CallerIdentity caller, Instant expiresAt, TrustedIssuer issuer, String token) {
        CallerIdentity withAssertion = issuer.onBehalfOfAssertion() && caller.isUser()
                ? caller.withAssertion(UserAssertion.of(token)) : caller;
        return new TokenVerification.Verified(withAssertion, expiresAt, issuer.issuer());
    }

    private static SignedJWT parseSigned(String token) throws Refusal {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw new Refusal(MALFORMED);
        }
        if (jwt instanceof PlainJWT) {
            throw new Refusal(UNSIGNED);
        }
        if (jwt instanceof EncryptedJWT) {
            throw new Refusal(ENCRYPTED);
        }
        if (jwt instanceof SignedJWT signed) {
            return signed;
        }
        throw new Refusal(MALFORMED);
    }

    private static JWTClaimsSet claimsOf(SignedJWT jwt) throws Refusal {
        try {
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (claims == null) {
                throw new Refusal(MALFORMED);
            }
            return claims;
        } catch (ParseException | RuntimeException e) {
            throw new Refusal(MALFORMED);
        }
    }

    private void checkAudience(List<String> audiences, TrustedIssuer issuer) throws Refusal {
        refuseIf(audiences == null || audiences.isEmpty(), missing("aud"));
        refuseIf(audiences.size() != 1, ONE_AUDIENCE);
        refuseIf(!issuer.audiences().contains(audiences.get(0)), WRONG_AUDIENCE);
    }

    /**
     * Whether the token is for Microsoft Graph. Checked before the signature: a real Graph token
     * carries a {@code nonce} header that makes its signature unverifiable by anyone but Graph, so
     * after the signature check a client that sent its Graph token would only hear "signature is
     * invalid", not what it did wrong. The token is refused either way.
     */
    private static boolean isGraphAudience(List<String> audiences) {
        if (audiences == null) {
            return false;
        }
        for (String audience : audiences) {
            if (audience != null && GRAPH_AUDIENCES.contains(audience.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Builds the caller; see the class comment for how users and applications are told apart. */
    private static CallerIdentity callerFrom(JWTClaimsSet claims, String tenantId) throws Refusal {
        String objectId = requiredString(claims, "oid");
        String clientAppId = requiredString(claims, "azp");
        String subject = optionalString(claims, "sub");
        List<String> scopes = scopesOf(optionalString(claims, "scp"));
        List<String> roles = rolesOf(claims);
        String idType = optionalString(claims, "idtyp");

        boolean application;
        if (idType != null) {
            application = switch (idType) {
                case "app" -> true;
                case "user" -> false;
                default -> throw new Refusal(KIND_CONFLICT);
            };
            refuseIf(application ? !scopes.isEmpty() : scopes.isEmpty(), KIND_CONFLICT);
        } else if (!scopes.isEmpty()) {
            application = false;
        } else {
            refuseIf(roles.isEmpty() || !objectId.equals(subject), NO_GRANT);
            application = true;
        }

        PrincipalId principal;
        try {
            principal = PrincipalId.of(tenantId, objectId);
        } catch (IllegalArgumentException e) {
            throw new Refusal(NOT_GUIDS);
        }
        try {
            return application
                    ? CallerIdentity.application(principal, "", clientAppId, roles)
                    : CallerIdentity.user(principal, shortened(optionalString(claims, "preferred_username")),
                    shortened(optionalString(claims, "name")), clientAppId, scopes, roles);
        } catch (IllegalArgumentException e) {
            throw new Refusal(MALFORMED);
        }
    }

    private TokenVerification describeUnknownIssuer(String iss, JWTClaimsSet claims) throws Refusal {
        String version = optionalString(claims, "ver");
        if ("1.0".equals(version)) {
            return V1_TOKEN;
        }
        String tid = optionalString(claims, "tid");
        if (tid != null) {
            String tokenTenant = "/" + tid.toLowerCase(Locale.ROOT) + "/";
            for (TrustedIssuer trusted : issuers.values()) {
                Optional<String> tenant = trusted.singleTenant();
                if (tenant.isPresent() && trusted.issuer().contains("/" + tenant.get() + "/")
                        && trusted.issuer().replace("/" + tenant.get() + "/", tokenTenant).equals(iss)) {
                    return TENANT_NOT_ALLOWED;
                }
            }
        }
        return UNTRUSTED_ISSUER;
    }

    private static List<String> scopesOf(String scp) {
        if (scp == null || scp.isBlank()) {
            return List.of();
        }
        List<String> scopes = new ArrayList<>(4);
        for (String scope : scp.split(" ")) {
            if (!scope.isEmpty()) {
                scopes.add(scope);
            }
        }
        return scopes;
    }

    private static List<String> rolesOf(JWTClaimsSet claims) throws Refusal {
        try {
            List<String> roles = claims.getStringListClaim("roles");
            if (roles == null) {
                return List.of();
            }
            for (String role : roles) {
                refuseIf(role == null || role.isBlank(), malformed("roles"));
            }
            return roles;
        } catch (ParseException e) {
            throw new Refusal(malformed("roles"));
        }
    }

    private static String requiredString(JWTClaimsSet claims, String name) throws Refusal {
        String value = optionalString(claims, name);
        refuseIf(value == null || value.isBlank(), missing(name));
        return value;
    }

    private static String optionalString(JWTClaimsSet claims, String name) throws Refusal {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            throw new Refusal(malformed(name));
        }
    }

    private static String shortened(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= MAX_NAME_LENGTH ? value : value.substring(0, MAX_NAME_LENGTH);
    }

    private static boolean isAcceptedType(JOSEObjectType type) {
        return ACCEPTED_TYPES.contains(type.getType().toLowerCase(Locale.ROOT));
    }

    /** Base64url characters and dots only: anything else is not a compact JWT, and is never hashed. */
    /** Only base64url characters and the dots of the JWS compact serialisation. */
    private static boolean isCompactSyntax(byte[] token) {
        for (byte b : token) {
            if (!COMPACT_SYNTAX[b & 0xFF]) {
                return false;
            }
        }
        return true;
    }

    private static TokenVerification missing(String claim) {
        return new TokenVerification.Rejected("required claim missing: " + claim);
    }

    private static TokenVerification malformed(String claim) {
        return new TokenVerification.Rejected("claim " + claim + " is malformed");
    }

    private static void refuseIf(boolean condition, TokenVerification outcome) throws Refusal {
        if (condition) {
            throw new Refusal(outcome);
        }
    }

    /** Carries a refusal out of the checks; no stack trace, it is control flow. */
    private static final class Refusal extends Exception {
        private final transient TokenVerification outcome;

        Refusal(TokenVerification outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    /** For tests and diagnostics: how many verified tokens are remembered. */
    long cachedTokens() {
        return cache.size();
    }
}
