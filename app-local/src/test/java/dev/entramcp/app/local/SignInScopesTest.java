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

import static org.assertj.core.api.Assertions.assertThat;

class SignInScopesTest {

    @Test
    void givenTheShippedTools_of_asksForEachScopeTheyRequireOnce() {
        ToolCatalog tools = ToolCatalog.of(new WhoAmITool(), new GetUserProfileTool(new InMemoryUserProfiles()),
                new SendMailTool(new InMemoryOutbox()), new ListMyGroupsTool(new InMemoryGroupMemberships()));

        assertThat(SignInScopes.of(tools)).containsExactlyInAnyOrder("User.Read", "Mail.Send", "GroupMember.Read.All");
    }

    @Test
    void givenToolsRequiringNoScope_of_asksForUserReadToSignIn() {
        assertThat(SignInScopes.of(ToolCatalog.of(new WhoAmITool()))).containsExactly("User.Read");
    }
}
