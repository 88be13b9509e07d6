package dev.entramcp.adapter.http.auth;

import java.util.List;

/**
 * A group of trusted issuers contributed as one bean. This module contributes the Entra tenant(s)
 * from {@code entramcp.auth.*} (bean named {@code entra}); the authorization-server facade adds
 * its own issuer by declaring one more bean of this type. The verifier trusts the union, and
 * refuses to start if two groups claim the same {@code iss}.
 */
@FunctionalInterface
public interface TrustedIssuers {

    List<TrustedIssuer> trustedIssuers();
}
