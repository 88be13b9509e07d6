package dev.entramcp.adapter.http.auth;

import com.nimbusds.jose.jwk.JWKSet;

import java.io.IOException;

/** Fetches a JSON Web Key Set once. Called only from the background refresh, never on a request. */
@FunctionalInterface
public interface JwksFetcher {

    /**
     * @throws IOException when the key set cannot be had or is not a valid JWK set; the message is
     *                     safe to log (it never carries the document itself)
     */
    JWKSet fetch() throws IOException;
}
