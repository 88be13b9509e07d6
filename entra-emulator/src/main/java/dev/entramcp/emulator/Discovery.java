package dev.entramcp.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenID Provider metadata and the JWKS. Under {@code /common} and {@code /organizations} the issuer is the
 * template {@code .../{tenantid}/v2.0}, as in Entra: a multi-tenant relying party must check {@code iss}
 * against the token's own {@code tid}, never accept any issuer.
 */
final class Discovery {

    private final Settings settings;
    private final SigningKeys keys;

    Discovery(Settings settings, SigningKeys keys) {
        this.settings = settings;
        this.keys = keys;
    }

    void openIdConfiguration(HttpCall call, String tenantSegment) {
        String authority = settings.base() + "/" + tenantSegment;
        boolean alias = !tenantSegment.equals(settings.tenantId());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("token_endpoint", authority + "/oauth2/v2.0/token");
        doc.put("token_endpoint_auth_methods_supported",
                List.of("client_secret_post", "private_key_jwt", "client_secret_basic"));
        doc.put("jwks_uri", authority + "/discovery/v2.0/keys");
        doc.put("response_modes_supported", List.of("query", "form_post"));
        doc.put("subject_types_supported", List.of("pairwise"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("response_types_supported", List.of("code"));
        doc.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        doc.put("issuer", alias ? settings.base() + "/{tenantid}/v2.0" : settings.issuer());
        doc.put("request_uri_parameter_supported", false);
        doc.put("authorization_endpoint", authority + "/oauth2/v2.0/authorize");
        doc.put("device_authorization_endpoint", authority + "/oauth2/v2.0/devicecode");
        doc.put("http_logout_supported", false);
        doc.put("frontchannel_logout_supported", false);
        doc.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "nbf", "nonce", "name", "oid",
                "preferred_username", "roles", "tid", "ver", "azp"));
        doc.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials",
                "urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:device_code"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("tenant_region_scope", "emulated");
        call.json(200, doc);
    }

    void jwks(HttpCall call) {
        call.json(200, keys.jwks());
    }
}
