package dev.entramcp.emulator;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * The fixed facts of a running emulator: where it lives, its tenant, its clock and its lifetimes.
 *
 * @param baseUri                   {@code https://localhost:PORT}
 * @param tenantId                  the tenant GUID
 * @param clock                     the clock every token, code and lifetime is measured with
 * @param idTokenLifetime           ID token lifetime
 * @param refreshTokenLifetime      refresh token lifetime (Entra: 90 days, sliding)
 * @param authorizationCodeLifetime authorization code lifetime (Entra: about 10 minutes)
 * @param deviceCodeLifetime        device code lifetime (Entra: 15 minutes)
 * @param deviceCodeInterval        the polling interval a device-code client is told to keep
 * @param signingKeyGracePeriod     how long a rotated-out signing key stays in the JWKS
 */
record Settings(URI baseUri, String tenantId, Clock clock, Duration idTokenLifetime, Duration refreshTokenLifetime,
                Duration authorizationCodeLifetime, Duration deviceCodeLifetime, Duration deviceCodeInterval,
                Duration signingKeyGracePeriod) {

    String base() {
        return baseUri.toString();
    }

    String authority() {
        return base() + "/" + tenantId;
    }

    /** The {@code iss} of every token: Entra's v2 issuer is the tenant's authority plus {@code /v2.0}. */
    String issuer() {
        return authority() + "/v2.0";
    }

    String tokenEndpoint() {
        return authority() + "/oauth2/v2.0/token";
    }
}
