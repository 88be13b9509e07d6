package dev.entramcp.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graph's {@code GET /me/memberOf}: the user's direct memberships (groups and directory roles), paged, with the
 * properties each token may read, refused like {@code /me} otherwise.
 */
class GraphMemberOfTest {

    private static EntraEmulator emu;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        emu = EntraEmulator.start();
        http = new TestHttp(emu);
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @Test
    void givenGroupMemberReadAll_memberOf_listsAlicesGroupsWithNamesAndHerRoleWithLimitedInformation() {
        TestHttp.Response response = http.get(memberOf(""), bearer(token("alice", "GroupMember.Read.All")));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json()).containsEntry("@odata.context", emu.graphBaseUrl() + "/$metadata#directoryObjects")
                .doesNotContainKey("@odata.nextLink");
        List<Map<String, Object>> value = value(response);
        assertThat(value).extracting(entry -> entry.get("@odata.type")).containsExactly("#microsoft.graph.group",
                "#microsoft.graph.group", "#microsoft.graph.directoryRole");
        assertThat(value.get(0)).containsEntry("id", group("All Staff").objectId())
                .containsEntry("displayName", "All Staff").containsEntry("description", "Everyone in the emulated tenant")
                .containsEntry("securityEnabled", true);
        assertThat(value.get(2)).containsEntry("id", group("Global Reader").objectId())
                .containsEntry("displayName", null).containsEntry("description", null);
    }

    @Test
    void givenDirectoryReadAll_memberOf_revealsTheDirectoryRoleToo() {
        List<Map<String, Object>> value = value(http.get(memberOf("?$select=id,displayName"),
                bearer(token("alice", "Directory.Read.All"))));

        assertThat(value).extracting(entry -> entry.get("displayName"))
                .containsExactly("All Staff", "Engineering", "Global Reader");
    }

    @Test
    void givenOnlyUserRead_memberOf_listsTheMembershipsWithLimitedInformation() {
        TestHttp.Response response = http.get(memberOf("?$select=id,displayName,description"),
                bearer(token("bob", "User.Read")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(value(response)).hasSize(2).allSatisfy(entry -> assertThat(entry)
                .containsOnlyKeys("@odata.type", "id", "displayName", "description")
                .containsEntry("displayName", null).containsEntry("description", null));
        assertThat(value(response)).extracting(entry -> entry.get("id"))
                .containsExactly(group("All Staff").objectId(), group("Sales").objectId());
    }

    @Test
    void givenSelect_memberOf_returnsOnlyTheSelectedPropertiesAndTheType() {
        TestHttp.Response response = http.get(memberOf("?$select=displayName"),
                bearer(token("bob", "GroupMember.Read.All")));

        assertThat(response.json()).containsEntry("@odata.context",
                emu.graphBaseUrl() + "/$metadata#directoryObjects(displayName)");
        assertThat(value(response)).containsExactly(Map.of("@odata.type", "#microsoft.graph.group", "displayName",
                "All Staff"), Map.of("@odata.type", "#microsoft.graph.group", "displayName", "Sales"));
    }

    @Test
    void givenTop_memberOf_pagesWithANextLinkThatLeadsToTheRest() {
        String token = token("alice", "GroupMember.Read.All");
        List<Object> ids = new ArrayList<>();
        String next = memberOf("?$select=id&$top=2");
        int pages = 0;
        while (next != null) {
            TestHttp.Response page = http.get(next, bearer(token));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(value(page)).hasSizeLessThanOrEqualTo(2);
            value(page).forEach(entry -> ids.add(entry.get("id")));
            next = (String) page.json().get("@odata.nextLink");
            pages++;
        }

        assertThat(pages).isEqualTo(2);
        assertThat(ids).containsExactlyElementsOf(emu.memberships("alice").stream().map(DemoGroup::objectId).toList());
    }

    @Test
    void givenPageSizeOutOfRange_memberOf_answersBadRequest() {
        for (String top : List.of("0", "1000", "-1", "ten")) {
            TestHttp.Response response = http.get(memberOf("?$top=" + top), bearer(token("alice", "GroupMember.Read.All")));

            assertGraphError(response, 400, "Request_BadRequest");
        }
    }

    @Test
    void givenAForgedSkiptoken_memberOf_answersBadRequest() {
        assertGraphError(http.get(memberOf("?$skiptoken=not-one-of-ours"), bearer(token("alice", "GroupMember.Read.All"))),
                400, "Request_BadRequest");
    }

    @Test
    void givenAnUnsupportedQueryOption_memberOf_answersBadRequest() {
        assertGraphError(http.get(memberOf("?$filter=displayName%20eq%20'Sales'"), bearer(token("bob", "GroupMember.Read.All"))),
                400, "BadRequest");
    }

    @Test
    void givenOnlyMailSend_memberOf_isForbidden() {
        assertGraphError(http.get(memberOf(""), bearer(token("bob", "Mail.Send"))), 403, "Authorization_RequestDenied");
    }

    @Test
    void givenNoToken_memberOf_isUnauthorized() {
        TestHttp.Response response = http.get(memberOf(""));

        assertGraphError(response, 401, "InvalidAuthenticationToken");
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer ");
    }

    @Test
    void givenAPost_memberOf_isNotAllowed() {
        TestHttp.Response response = http.postJson(memberOf(""), "{}", bearer(token("bob", "GroupMember.Read.All")));

        assertGraphError(response, 405, "Request_BadRequest");
        assertThat(response.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void givenAScpListingAScopeTwice_memberOf_stillAnswers() {
        Map<String, Object> claims = emu.control().accessTokenClaims("alice", emu.apps().local().clientId(),
                "GroupMember.Read.All");
        claims.put("scp", "GroupMember.Read.All GroupMember.Read.All");

        TestHttp.Response response = http.get(memberOf(""), bearer(emu.control().signJwt(claims)));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void givenAWorldWithOtherGroups_memberships_areThoseOfTheWorld() {
        try (EntraEmulator custom = EntraEmulator.builder()
                .users(DemoUser.of("carol", "Carol Cruz"))
                .groups(DemoGroup.group("Auditors", "Read-only auditors", "carol"))
                .build().start()) {
            assertThat(custom.memberships("carol")).extracting(DemoGroup::displayName).containsExactly("Auditors");
            assertThat(custom.description(false)).containsKey("groups");
        }
    }

    @Test
    void givenAGroupNamingAnUnknownUser_build_isRefused() {
        org.assertj.core.api.Assertions.assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> EntraEmulator.builder().groups(DemoGroup.group("Ghosts", null, "casper")).build())
                .withMessageContaining("casper");
    }

    @Test
    void givenReplacedUsersWithoutGroups_theTenant_hasNoGroups() {
        try (EntraEmulator custom = EntraEmulator.builder().users(DemoUser.of("carol", "Carol Cruz")).build().start()) {
            assertThat(custom.groups()).isEmpty();
        }
    }

    private static DemoGroup group(String name) {
        return emu.groups().stream().filter(g -> g.displayName().equals(name)).findFirst().orElseThrow();
    }

    private static String token(String user, String scope) {
        return emu.control().issueAccessToken(user, emu.apps().local().clientId(), scope);
    }

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private static String memberOf(String query) {
        return emu.graphBaseUrl() + "/me/memberOf" + query;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> value(TestHttp.Response response) {
        return (List<Map<String, Object>>) response.json().get("value");
    }

    @SuppressWarnings("unchecked")
    private static void assertGraphError(TestHttp.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        Map<String, Object> error = (Map<String, Object>) response.json().get("error");
        assertThat(error).containsEntry("code", code).containsKey("message");
    }
}
