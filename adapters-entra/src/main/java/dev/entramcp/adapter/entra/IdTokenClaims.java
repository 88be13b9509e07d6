package dev.entramcp.adapter.entra;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;

import java.text.ParseException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The claims of an ID token that msal4j received straight from the Entra token endpoint.
 *
 * <p>Its signature is not checked here, and need not be: the token arrived in the direct TLS
 * response of the token endpoint the client itself called (OpenID Connect Core 3.1.3.7: TLS server
 * validation may replace signature validation in this case). It is never accepted from anyone else.
 */
record IdTokenClaims(String objectId, String tenantId, String name, String preferredUsername,
                     List<String> roles, Optional<String> nonce) {

    static IdTokenClaims parse(String idToken) {
        if (idToken == null || idToken.isBlank()) {
            throw new ToolFailureException(new ToolFailure.DownstreamUnavailable(
                    "Microsoft Entra ID returned no ID token, so the signed-in user is unknown."));
        }
        try {
            JWTClaimsSet claims = JWTParser.parse(idToken).getJWTClaimsSet();
            String oid = claims.getStringClaim("oid");
            String tid = claims.getStringClaim("tid");
            if (oid == null || tid == null) {
                throw new ToolFailureException(new ToolFailure.DownstreamUnavailable(
                        "The ID token from Microsoft Entra ID has no 'oid' or 'tid' claim."));
            }
            List<String> roles = Optional.ofNullable(claims.getStringListClaim("roles")).orElse(List.of());
            return new IdTokenClaims(oid, tid, orEmpty(claims.getStringClaim("name")),
                    orEmpty(claims.getStringClaim("preferred_username")), List.copyOf(roles),
                    Optional.ofNullable(claims.getStringClaim("nonce")));
        } catch (ParseException e) {
            throw new ToolFailureException(new ToolFailure.DownstreamUnavailable(
                    "The ID token from Microsoft Entra ID could not be read."));
        }
    }

    PrincipalId principal() {
        return PrincipalId.of(tenantId, objectId);
    }

    CallerIdentity toCaller(String clientAppId, Collection<String> grantedScopes) {
        return CallerIdentity.user(principal(), preferredUsername, name, clientAppId, grantedScopes, roles);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
