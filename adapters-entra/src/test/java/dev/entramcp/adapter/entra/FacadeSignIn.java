package dev.entramcp.adapter.entra;

import dev.entramcp.domain.model.UpstreamAuthorizationRequest;
import dev.entramcp.domain.model.UpstreamSignIn;

import java.net.URI;
import java.util.Set;

/**
 * The facade's upstream sign-in, end to end against mock-oauth2-server: the facade's own state,
 * nonce and PKCE verifier, the authorize URL, the form-post callback, and the redemption.
 */
final class FacadeSignIn {

    static final URI CALLBACK = URI.create("https://mcp.example/auth/callback");
    static final Set<String> GRAPH = Set.of("User.Read", "Mail.Send");

    /** What the facade keeps between the redirect and the callback. */
    record Pending(UpstreamAuthorizationRequest request, PkceVerifier verifier) {
    }

    private FacadeSignIn() {
    }

    /** A new request as the facade makes it: fresh state, nonce and verifier. */
    static Pending newRequest() {
        PkceVerifier verifier = PkceVerifier.random();
        return new Pending(UpstreamAuthorizationRequest.of(PkceVerifier.randomToken(), PkceVerifier.randomToken(),
                verifier.s256Challenge(), CALLBACK, GRAPH), verifier);
    }

    static UpstreamSignIn signIn(EntraAuthorizationCodeClient entra) throws Exception {
        Pending pending = newRequest();
        String code = new HeadlessBrowser().authorizeAndCapture(entra.authorizationUrl(pending.request())).get("code");
        return entra.redeem(code, pending.verifier().value(), CALLBACK, pending.request().nonce());
    }
}
