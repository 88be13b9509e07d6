package dev.entramcp.adapter.http.auth;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChallengesTest {

    private final Challenges challenges = new Challenges(URI.create("https://mcp.example/.well-known/oauth-protected-resource/mcp"),
            "api://1234/", List.of("api://1234/User.Read"));

    @Test
    void givenDomainScopes_insufficientScope_asksForThemAsTheAuthorizationServerKnowsThem() {
        String header = challenges.insufficientScope(List.of("Mail.Send"), "missing scope Mail.Send").headerValue();

        assertThat(header).contains("error=\"insufficient_scope\"").contains("scope=\"api://1234/Mail.Send\"");
    }

    @Test
    void givenNoToken_missingToken_advertisesTheDefaultScopes() {
        assertThat(challenges.missingToken().headerValue()).endsWith("scope=\"api://1234/User.Read\"");
    }
}
