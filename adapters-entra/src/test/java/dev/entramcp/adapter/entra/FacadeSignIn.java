package dev.entramcp.adapter.entra;

import java.net.URI;
import java.util.Set;

/** The facade's upstream sign-in, end to end against mock-oauth2-server: authorize, callback, redeem. */
final class FacadeSignIn {

    static final URI CALLBACK = URI.create("https://mcp.example/auth/callback");

    private FacadeSignIn() {
    }

    static UpstreamSignIn signIn(EntraAuthorizationCodeClient entra) throws Exception {
        UpstreamAuthorization request = entra.authorizationRequest(CALLBACK, Set.of("User.Read", "Mail.Send"));
        return entra.redeem(request, new HeadlessBrowser().authorizeAndCapture(request.authorizeUrl()).get("code"));
    }
}
