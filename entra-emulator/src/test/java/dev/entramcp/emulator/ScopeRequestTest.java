package dev.entramcp.emulator;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** How Entra reads a scope parameter: OpenID scopes apart, then exactly one resource. */
class ScopeRequestTest {

    private final AppRegistration api = AppRegistration.confidentialClient("api").withExposedScopes("User.Read", "Mail.Send");
    private final Directory directory = new Directory("7d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a", List.of(),
            List.of(api));

    @Test
    void givenBareNames_parse_meansGraph() {
        ScopeRequest request = ScopeRequest.parse("openid profile offline_access user.read Mail.Send", directory);

        assertThat(request.resource()).isEqualTo(Resource.GRAPH);
        assertThat(request.scopes()).isEqualTo(Set.of("User.Read", "Mail.Send"));
        assertThat(request.oidc()).isEqualTo(Set.of("openid", "profile", "offline_access"));
        assertThat(request.asked()).containsExactly("user.read", "Mail.Send");
    }

    @Test
    void givenGraphsQualifiedDefault_parse_meansGraphDotDefault() {
        ScopeRequest request = ScopeRequest.parse("https://graph.microsoft.com/.default", directory);

        assertThat(request.resource()).isEqualTo(Resource.GRAPH);
        assertThat(request.dotDefault()).isTrue();
        assertThat(request.scopes()).isEmpty();
    }

    @Test
    void givenAnAppIdUriOrAClientId_parse_meansThatApi() {
        ScopeRequest byUri = ScopeRequest.parse(api.appIdUri() + "/Mail.Send", directory);
        ScopeRequest byId = ScopeRequest.parse(api.clientId() + "/.default", directory);

        assertThat(byUri.resource().appId()).isEqualTo(api.clientId());
        assertThat(byUri.scopes()).containsExactly("Mail.Send");
        assertThat(byId.resource().appId()).isEqualTo(api.clientId());
        assertThat(byId.dotDefault()).isTrue();
    }

    @Test
    void givenOnlyOpenIdScopes_parse_meansGraphWithoutResourceScopes() {
        ScopeRequest request = ScopeRequest.parse("openid profile", directory);

        assertThat(request.resource()).isEqualTo(Resource.GRAPH);
        assertThat(request.scopes()).isEmpty();
        assertThat(request.openid()).isTrue();
        assertThat(request.offlineAccess()).isFalse();
    }

    @Test
    void givenDotDefaultWithAnotherScope_parse_isRefused() {
        assertThatExceptionOfType(EntraError.class)
                .isThrownBy(() -> ScopeRequest.parse(api.appIdUri() + "/.default " + api.appIdUri() + "/User.Read",
                        directory))
                .satisfies(e -> assertThat(e.code()).isEqualTo(70011));
    }

    @Test
    void givenNoScope_parse_isAMissingParameter() {
        assertThatExceptionOfType(EntraError.class)
                .isThrownBy(() -> ScopeRequest.parse("  ", directory))
                .satisfies(e -> assertThat(e.description()).isEqualTo("AADSTS900144: The request body must contain"
                        + " the following parameter: 'scope'."));
    }
}
