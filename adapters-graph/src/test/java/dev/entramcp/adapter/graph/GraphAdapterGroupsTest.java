package dev.entramcp.adapter.graph;

import dev.entramcp.adapter.graph.FakeGraph.Reply;
import dev.entramcp.domain.model.DirectoryGroup;
import dev.entramcp.domain.model.GroupPage;
import dev.entramcp.domain.model.GroupQuery;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code GET /me/memberOf}: the request it sends, the token it asks for, what it keeps of the answer, and its bounds. */
class GraphAdapterGroupsTest {

    private final GraphTestbed bed = new GraphTestbed();

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void givenMember_listMyGroups_getsMemberOfSelectingThreeFieldsWithTheQueriedTop() {
        bed.adapter().listMyGroups(bed.alice, new GroupQuery(7));

        assertThat(bed.graph.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.path()).isEqualTo("/v1.0/me/memberOf");
            assertThat(request.rawQuery()).isEqualTo("$select=id,displayName,description&$top=7");
        });
    }

    @Test
    void givenMember_listMyGroups_asksTheTokenPortForGroupMemberReadAllOnly() {
        bed.adapter().listMyGroups(bed.alice, GroupQuery.defaults());

        assertThat(bed.tokens.requests()).singleElement().satisfies(request ->
                assertThat(request.scopes()).containsExactly("https://graph.microsoft.com/GroupMember.Read.All"));
    }

    @Test
    void givenMembershipsThatIncludeADirectoryRole_listMyGroups_keepsOnlyTheGroups() {
        GroupPage page = bed.adapter().listMyGroups(bed.alice, GroupQuery.defaults());

        assertThat(page.groups()).containsExactlyElementsOf(bed.aliceGroups);
        assertThat(page.groups()).extracting(DirectoryGroup::displayName).doesNotContain("Global Reader");
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void givenMoreMembershipsThanTop_listMyGroups_readsOnePageAndNeverFollowsTheNextLink() {
        GroupPage page = bed.adapter().listMyGroups(bed.alice, new GroupQuery(2));

        assertThat(page.hasMore()).isTrue();
        assertThat(page.groups()).containsExactly(bed.aliceGroups.get(0));
        assertThat(bed.graph.requests()).hasSize(1);
        assertThat(bed.tokens.requests()).hasSize(1);
    }

    @Test
    void givenAnAnswerLongerThanTop_listMyGroups_readsNoFurtherThanTop() {
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(GraphTestbed.groupObject(DirectoryGroup.of("g-" + i, "Group " + i, null)));
        }
        String body = "{\"value\":" + new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(many) + "}";
        bed.graph.script("/me/memberOf", Reply.raw(200, body));

        GroupPage page = bed.adapter().listMyGroups(bed.alice, new GroupQuery(5));

        assertThat(page.groups()).extracting(DirectoryGroup::id).containsExactly("g-0", "g-1", "g-2", "g-3", "g-4");
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void givenGroupsWithLimitedInformation_listMyGroups_keepsTheirIdsWithBlankNames() {
        bed.graph.script("/me/memberOf", Reply.raw(200, "{\"value\":[{\"@odata.type\":\"#microsoft.graph.group\","
                + "\"id\":\"g-hidden\",\"displayName\":null,\"description\":null}]}"));

        GroupPage page = bed.adapter().listMyGroups(bed.alice, GroupQuery.defaults());

        assertThat(page.groups()).containsExactly(DirectoryGroup.of("g-hidden", "", null));
        assertThat(page.groups().get(0).label()).isEqualTo("g-hidden");
    }

    @Test
    void givenAnAnswerThatIsNotAPage_listMyGroups_failsWithDownstreamUnavailable() {
        for (String body : List.of("[]", "{\"value\":{}}", "{}", "not json",
                "{\"value\":[{\"@odata.type\":\"#microsoft.graph.group\",\"displayName\":\"No id\"}]}")) {
            bed.graph.script("/me/memberOf", Reply.raw(200, body));

            assertThatExceptionOfType(ToolFailureException.class)
                    .isThrownBy(() -> bed.adapter().listMyGroups(bed.alice, GroupQuery.defaults()))
                    .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                    .withMessageContaining("list of groups that could not be read");
        }
    }

    @Test
    void givenForbidden_listMyGroups_failsWithConsentRequiredNamingThePermission() {
        bed.tokens.withhold(bed.bob.principal(), GraphAdapter.GROUP_MEMBER_READ_ALL);

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().listMyGroups(bed.bob, GroupQuery.defaults()))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.ConsentRequired.class))
                .withMessageContaining("GroupMember.Read.All")
                .withMessageContaining("list your groups")
                .withMessageNotContaining(FakeGraph.BODY_MARKER);
    }

    @Test
    void givenAServerErrorOnce_listMyGroups_retriesBecauseAReadIsRepeatable() {
        bed.graph.script("/me/memberOf", Reply.error(502, "badGateway"));

        GroupPage page = bed.adapter().listMyGroups(bed.bob, GroupQuery.defaults());

        assertThat(page.groups()).containsExactlyElementsOf(bed.bobGroups);
        assertThat(bed.graph.requestsTo("/me/memberOf")).hasSize(2);
    }
}
