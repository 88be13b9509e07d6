package dev.entramcp.adapter.http.auth;

import com.nimbusds.jose.JWSAlgorithm;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One authority whose access tokens this resource server accepts, and everything a token from it
 * must satisfy. The verifier holds a list of these, keyed by the exact {@code iss} value, so that
 * trusting one more issuer is one more entry, not a new validator:
 *
 * <ul>
 *   <li>an Entra tenant: {@link #entraTenant} ({@code iss} = {@code {authority-host}/{tid}/v2.0},
 *       keys from the tenant's JWKS, {@code aud} = the API's client id or App ID URI,
 *       {@code ver} = {@code 2.0}); a multi-tenant allow-list is one entry per tenant, sharing one
 *       key source;</li>
 *   <li>the authorization-server facade's own tokens: {@link #of} with the server's own issuer,
 *       its own public keys, {@code aud} = this MCP resource, and the same claim rules. Such a
 *       token must carry the same claims as an Entra v2 token ({@code tid}, {@code oid},
 *       {@code sub}, {@code azp}, {@code scp} or {@code roles}, {@code exp}, {@code nbf}) and is
 *       checked exactly as strictly.</li>
 * </ul>
 *
 * @param issuer              the exact {@code iss} (compared as a string: no suffix match, no
 *                            scheme-insensitive match, unlike micronaut-security's issuer check)
 * @param audiences           accepted {@code aud} values; a token must name exactly one of them
 * @param algorithms          accepted signature algorithms (RSA or EC families only; never
 *                            {@code none} nor HMAC)
 * @param keys                where the verification keys come from
 * @param tenants             accepted {@code tid} values (lower-case GUIDs); for an Entra issuer,
 *                            exactly the tenant in its {@code iss}
 * @param requiredVersion     the {@code ver} claim a token must carry, if any ({@code 2.0} for Entra)
 * @param onBehalfOfAssertion whether a user token from this issuer is kept on the caller as the
 *                            On-Behalf-Of assertion (true for Entra; false for the facade's own
 *                            tokens, which Entra would not accept and must never receive)
 */
public record TrustedIssuer(String issuer, Set<String> audiences, Set<JWSAlgorithm> algorithms, SigningKeys keys,
                            Set<String> tenants, Optional<String> requiredVersion, boolean onBehalfOfAssertion) {

    /** The {@code ver} of an Entra v2.0 access token. */
    public static final String ENTRA_V2 = "2.0";

    private static final Pattern GUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public TrustedIssuer {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("'issuer' must not be blank");
        }
        audiences = nonEmptyCopy(audiences, "audiences");
        algorithms = nonEmptyCopy(algorithms, "algorithms");
        for (JWSAlgorithm algorithm : algorithms) {
            if (!JWSAlgorithm.Family.RSA.contains(algorithm) && !JWSAlgorithm.Family.EC.contains(algorithm)) {
                throw new IllegalArgumentException("'algorithms' must hold RSA or EC signature algorithms only, not "
                        + algorithm.getName());
            }
        }
        Objects.requireNonNull(keys, "'keys' must not be null");
        tenants = nonEmptyCopy(tenants, "tenants");
        for (String tenant : tenants) {
            if (!GUID.matcher(tenant).matches()) {
                throw new IllegalArgumentException("'tenants' must hold lower-case GUIDs");
            }
        }
        Objects.requireNonNull(requiredVersion, "'requiredVersion' must not be null");
    }

    /**
     * An Entra tenant's v2.0 issuer, {@code {authorityHost}/{tenantId}/v2.0}: only that tenant's
     * {@code tid}, {@code ver} 2.0, RS256 only (the one algorithm Entra signs access tokens with),
     * and the token is kept for On-Behalf-Of.
     *
     * @param authorityHost {@code https://login.microsoftonline.com}, or a local emulator's base URL
     * @param algorithms    must be exactly {@code RS256}; anything else is refused here
     */
    public static TrustedIssuer entraTenant(URI authorityHost, String tenantId, Set<String> audiences,
                                            Set<JWSAlgorithm> algorithms, SigningKeys keys) {
        if (algorithms == null || !algorithms.equals(Set.of(JWSAlgorithm.RS256))) {
            throw new IllegalArgumentException("'algorithms' of an Entra issuer must be exactly [RS256]: "
                    + "Microsoft Entra signs access tokens with RS256 only");
        }
        String host = Objects.requireNonNull(authorityHost, "'authorityHost' must not be null").toString();
        String tenant = Objects.requireNonNull(tenantId, "'tenantId' must not be null").toLowerCase(Locale.ROOT);
        return new TrustedIssuer(stripTrailingSlash(host) + "/" + tenant + "/v2.0", audiences, algorithms, keys,
                Set.of(tenant), Optional.of(ENTRA_V2), true);
    }

    /** Any other issuer, such as the facade's own: every rule is given explicitly. */
    public static TrustedIssuer of(String issuer, Set<String> audiences, Set<JWSAlgorithm> algorithms,
                                   SigningKeys keys, Set<String> tenants, Optional<String> requiredVersion,
                                   boolean onBehalfOfAssertion) {
        return new TrustedIssuer(issuer, audiences, algorithms, keys, tenants, requiredVersion, onBehalfOfAssertion);
    }

    /** For a single-tenant issuer (an Entra tenant), that tenant. */
    Optional<String> singleTenant() {
        return tenants.size() == 1 ? Optional.of(tenants.iterator().next()) : Optional.empty();
    }

    private static <T> Set<T> nonEmptyCopy(Set<T> values, String field) {
        Objects.requireNonNull(values, "'" + field + "' must not be null");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("'" + field + "' must not be empty");
        }
        for (T value : values) {
            Objects.requireNonNull(value, "'" + field + "' must not contain null");
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    private static String stripTrailingSlash(String value) {
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
