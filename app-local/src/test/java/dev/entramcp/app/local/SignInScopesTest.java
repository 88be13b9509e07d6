package dev.entramcp.app.local;

import dev.entramcp.domain.fixtures.InMemoryGroupMemberships;
import dev.entramcp.domain.fixtures.InMemoryOutbox;
import dev.entramcp.domain.fixtures.InMemoryUserProfiles;
import dev.entramcp.domain.tool.GetUserProfileTool;
import dev.entramcp.domain.tool.ListMyGroupsTool;
import dev.entramcp.domain.tool.SendMailTool;
import dev.entramcp.domain.tool.ToolCatalog;
import dev.entramcp.domain.tool.WhoAmITool;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SignInScopesTest {

    private static final ToolCatalog SHIPPED = ToolCatalog.of(new WhoAmITool(), new GetUserProfileTool(new InMemoryUserProfiles()),
            new SendMailTool(new InMemoryOutbox()), new ListMyGroupsTool(new InMemoryGroupMemberships()));

    @Test
    void givenTheShippedToolsAndNoOptIn_of_asksOnlyForTheScopesAUserCanConsentTo() {
        assertThat(SignInScopes.of(SHIPPED, Set.of())).containsExactlyInAnyOrder("User.Read", "Mail.Send");
    }

    @Test
    void givenAnOptInToGroupMemberReadAll_of_asksForItToo() {
        assertThat(SignInScopes.of(SHIPPED, Set.of("GroupMember.Read.All")))
                .containsExactlyInAnyOrder("User.Read", "Mail.Send", "GroupMember.Read.All");
    }

    @Test
    void givenAnOptInToAScopeNoToolNeeds_of_refusesNamingTheScopesTheToolsNeed() {
        assertThatExceptionOfType(LocalConfiguration.ConfigurationException.class)
                .isThrownBy(() -> SignInScopes.of(SHIPPED, Set.of("Directory.Read.All")))
                .withMessageContaining("'Directory.Read.All'")
                .withMessageContaining("GroupMember.Read.All, Mail.Send, User.Read");
    }

    @Test
    void givenToolsRequiringNoScope_of_asksForUserReadToSignIn() {
        assertThat(SignInScopes.of(ToolCatalog.of(new WhoAmITool()), Set.of())).containsExactly("User.Read");
    }

    @Test
    void givenTheShippedTools_adminConsentScopesOf_isWhatTheDemoOptsInTo() {
        assertThat(SignInScopes.adminConsentScopesOf(SHIPPED)).containsExactly("GroupMember.Read.All");
    }
}
