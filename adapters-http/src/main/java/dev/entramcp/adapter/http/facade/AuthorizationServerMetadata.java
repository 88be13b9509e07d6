package dev.entramcp.adapter.http.facade;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The facade's authorization server metadata (RFC 8414), served at
 * {@code /.well-known/oauth-authorization-server} and, for clients that only try OpenID Connect
 * discovery, at {@code /.well-known/openid-configuration}. Everything a client needs to go through
 * the flow without configuration: the endpoints, PKCE {@code S256} only, the client
 * authentication methods, Client ID Metadata Document support, and the {@code iss} parameter of
 * authorization responses (RFC 9207, against mix-up attacks).
 */
public final class AuthorizationServerMetadata {

    private final String json;

    AuthorizationServerMetadata(FacadeSettings settings) {
        ObjectNode document = new ObjectMapper().createObjectNode();
        document.put("issuer", settings.issuer());
        document.put("authorization_endpoint", settings.endpoint(AuthorizationFlow.AUTHORIZE_PATH).toString());
        document.put("token_endpoint", settings.endpoint(AuthorizationServerController.TOKEN_PATH).toString());
        if (settings.registrationEnabled()) {
            document.put("registration_endpoint", settings.endpoint(AuthorizationServerController.REGISTER_PATH).toString());
        }
        document.put("revocation_endpoint", settings.endpoint(AuthorizationServerController.REVOKE_PATH).toString());
        document.put("jwks_uri", settings.endpoint(AuthorizationServerController.JWKS_PATH).toString());
        List<String> scopes = new ArrayList<>(settings.supportedScopes());
        scopes.add(FacadeSettings.OFFLINE_ACCESS);
        array(document, "scopes_supported", scopes);
        array(document, "response_types_supported", List.of("code"));
        array(document, "response_modes_supported", List.of("query"));
        array(document, "grant_types_supported", List.of(RegisteredClient.AUTHORIZATION_CODE, RegisteredClient.REFRESH_TOKEN));
        array(document, "token_endpoint_auth_methods_supported", TokenEndpoint.authMethods());
        array(document, "revocation_endpoint_auth_methods_supported", TokenEndpoint.authMethods());
        array(document, "code_challenge_methods_supported", List.of("S256"));
        document.put("client_id_metadata_document_supported", settings.cimd().enabled());
        document.put("authorization_response_iss_parameter_supported", true);
        this.json = document.toString();
    }

    /** The document as JSON. */
    public String json() {
        return json;
    }

    private static void array(ObjectNode document, String name, Collection<String> values) {
        ArrayNode array = document.putArray(name);
        values.forEach(array::add);
    }
}
