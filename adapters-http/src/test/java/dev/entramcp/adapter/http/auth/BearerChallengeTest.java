package dev.entramcp.adapter.http.auth;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BearerChallengeTest {

    private static final URI PRM = URI.create("https://mcp.example/.well-known/oauth-protected-resource/mcp");

    @Test
    void givenNoToken_headerValue_pointsAtMetadataAndScopesWithoutAnError() {
        String header = BearerChallenge.missingToken(PRM, List.of("api://x/User.Read", "api://x/Mail.Send")).headerValue();

        assertThat(header).isEqualTo("Bearer resource_metadata=\"https://mcp.example/.well-known/oauth-protected-resource/mcp\", "
                + "scope=\"api://x/User.Read api://x/Mail.Send\"");
    }

    @Test
    void givenRefusedToken_headerValue_carriesInvalidTokenAndItsDescriptionFirst() {
        String header = BearerChallenge.invalidToken(PRM, List.of("api://x/User.Read"), "The token has expired").headerValue();

        assertThat(header).startsWith("Bearer error=\"invalid_token\", error_description=\"The token has expired\", resource_metadata=");
    }

    @Test
    void givenScopeShortfall_headerValue_listsEveryScopeNeeded() {
        String header = BearerChallenge.insufficientScope(PRM, List.of("api://x/Mail.Send", "api://x/User.Read"), "missing scope Mail.Send").headerValue();

        assertThat(header).contains("error=\"insufficient_scope\"").endsWith("scope=\"api://x/Mail.Send api://x/User.Read\"");
    }

    @Test
    void givenQuoteBackslashOrLineBreakInDescription_headerValue_cannotBeBrokenOutOf() {
        String header = BearerChallenge.invalidToken(PRM, List.of(), "bad \"kid\"\r\nSet-Cookie: x=\\y").headerValue();

        assertThat(header).contains("error_description=\"bad ?kid???Set-Cookie: x=?y\"").doesNotContain("\r").doesNotContain("\n");
    }
}
