package dev.entramcp.domain.tool;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.fixtures.FixedClock;
import dev.entramcp.domain.fixtures.RecordingAuditTrail;
import dev.entramcp.domain.model.AuditAction;
import dev.entramcp.domain.model.CallToolOutcome;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.CorrelationId;
import dev.entramcp.domain.model.DirectoryGroup;
import dev.entramcp.domain.model.GroupPage;
import dev.entramcp.domain.model.GroupQuery;
import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.ToolResult;
import dev.entramcp.domain.port.in.CallToolCommand;
import dev.entramcp.domain.port.in.ListToolsQuery;
import dev.entramcp.domain.service.CallToolService;
import dev.entramcp.domain.service.ListToolsService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

// snippet:list-my-groups-tool-test
class ListMyGroupsToolTest {

    private static final CorrelationId CORRELATION = CorrelationId.of("corr-groups");
    private static final DirectoryGroup ALL_STAFF = DirectoryGroup.of("g-1", "All Staff", "Everyone in the company");
    private static final DirectoryGroup ENGINEERING = DirectoryGroup.of("g-2", "Engineering", null);

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final List<GroupQuery> queries = new ArrayList<>();
    private GroupPage answer = new GroupPage(List.of(ALL_STAFF, ENGINEERING), false);

    /** The port faked with a lambda: it records the query and returns the arranged page. */
    private final ToolCatalog catalog = ToolCatalog.of(new WhoAmITool(), new ListMyGroupsTool((caller, query) -> {
        queries.add(query);
        return answer;
    }));

    private static CallerIdentity member() {
        return Callers.aCaller().named("alice@contoso.example", "Alice").withScopes("User.Read", "GroupMember.Read.All").build();
    }

    private CallToolOutcome call(CallerIdentity caller, Map<String, Object> arguments) {
        return new CallToolService(catalog, audit, FixedClock.atNow())
                .callTool(new CallToolCommand(caller, "list_my_groups", arguments, CORRELATION));
    }

    private ToolResult completed(CallToolOutcome outcome) {
        assertThat(outcome).isInstanceOf(CallToolOutcome.Completed.class);
        return ((CallToolOutcome.Completed) outcome).result();
    }

    @Test
    void givenCallerWithoutGroupMemberReadAll_listTools_hidesTheTool() {
        List<ToolDescriptor> listed = new ListToolsService(catalog, audit, FixedClock.atNow())
                .listTools(new ListToolsQuery(Callers.alice(), CORRELATION));

        assertThat(listed).extracting(tool -> tool.name().value()).containsExactly("whoami");
    }

    @Test
    void givenCallerWithoutGroupMemberReadAll_call_isRefusedNamingTheScopeAndThePortIsNotCalled() {
        CallToolOutcome outcome = call(Callers.alice(), Map.of());

        assertThat(outcome).isInstanceOf(CallToolOutcome.Refused.class);
        assertThat(((CallToolOutcome.Refused) outcome).decision().missingScopes()).containsExactly("GroupMember.Read.All");
        assertThat(queries).isEmpty();
        assertThat(audit.actions()).containsExactly(AuditAction.DENIED);
    }
    // end-snippet

    @Test
    void givenApplicationCaller_call_isRefusedAsAppOnly() {
        CallToolOutcome outcome = call(Callers.anApplication().withRoles("GroupMember.Read.All").build(), Map.of());

        assertThat(((CallToolOutcome.Refused) outcome).decision().appOnlyRefused()).isTrue();
        assertThat(queries).isEmpty();
    }

    @Test
    void givenMember_listTools_showsTheToolAsReadOnlyWithABoundedTop() {
        List<ToolDescriptor> listed = new ListToolsService(catalog, audit, FixedClock.atNow())
                .listTools(new ListToolsQuery(member(), CORRELATION));

        ToolDescriptor tool = listed.get(1);
        assertThat(tool.name().value()).isEqualTo("list_my_groups");
        assertThat(tool.hints().readOnly()).isTrue();
        assertThat(tool.requirement().scopes()).containsExactly("GroupMember.Read.All");
        assertThat(tool.inputSchema()).containsEntry("additionalProperties", false);
        Object top = ((Map<?, ?>) tool.inputSchema().get("properties")).get("top");
        assertThat(top).isEqualTo(Map.of("type", "integer", "minimum", 1, "maximum", 100,
                "description", "How many memberships to read, 1 to 100 (default 25)"));
    }

    @Test
    void givenNoArguments_call_readsTheDefaultPageAndListsTheGroups() {
        ToolResult result = completed(call(member(), Map.of()));

        assertThat(queries).containsExactly(new GroupQuery(GroupQuery.DEFAULT_TOP));
        assertThat(result.text()).isEqualTo("You are a direct member of 2 groups.\n"
                + "- All Staff: Everyone in the company\n"
                + "- Engineering");
        assertThat(result.structuredContent()).containsEntry("hasMore", false);
        assertThat(result.structuredContent().get("groups")).isEqualTo(List.of(
                Map.of("id", "g-1", "displayName", "All Staff", "description", "Everyone in the company"),
                Map.of("id", "g-2", "displayName", "Engineering")));
        assertThat(audit.actions()).containsExactly(AuditAction.ALLOWED);
    }

    @Test
    void givenTop_call_passesItToThePort() {
        completed(call(member(), Map.of("top", 5)));

        assertThat(queries).containsExactly(new GroupQuery(5));
    }

    static Stream<Object> wholeNumbersOfTen() {
        return Stream.of(10, 10L, 10.0d, 10.0f, new BigDecimal("10.000"), new BigDecimal("1E+1"), BigInteger.TEN);
    }

    @ParameterizedTest
    @MethodSource("wholeNumbersOfTen")
    void givenTopAsAnyWholeNumberType_call_acceptsIt(Object ten) {
        completed(call(member(), Map.of("top", ten)));

        assertThat(queries).containsExactly(new GroupQuery(10));
    }

    static Stream<Object> topsOutOfRange() {
        return Stream.of(0, -1, 101, Long.MAX_VALUE, 1e20, new BigDecimal("1E+999999999"), new BigDecimal("-1E+999999999"));
    }

    @ParameterizedTest
    @MethodSource("topsOutOfRange")
    void givenTopOutOfRange_call_failsWithInvalidArgumentsAndReadsNothing(Object top) {
        CallToolOutcome outcome = call(member(), Map.of("top", top));

        assertThat(((CallToolOutcome.Failed) outcome).failure().userMessage())
                .isEqualTo("Invalid arguments: 'top' must be between 1 and 100");
        assertThat(queries).isEmpty();
    }

    static Stream<Object> topsThatAreNotWholeNumbers() {
        return Stream.of("10", 2.5, new BigDecimal("0.1"), Double.NaN, Double.POSITIVE_INFINITY, true, List.of(10), Map.of());
    }

    @ParameterizedTest
    @MethodSource("topsThatAreNotWholeNumbers")
    void givenTopThatIsNotAWholeNumber_call_failsWithInvalidArgumentsAndReadsNothing(Object top) {
        CallToolOutcome outcome = call(member(), Map.of("top", top));

        assertThat(((CallToolOutcome.Failed) outcome).failure().userMessage())
                .isEqualTo("Invalid arguments: 'top' must be a whole number from 1 to 100");
        assertThat(queries).isEmpty();
    }

    @Test
    void givenExplicitNullTop_call_failsRatherThanGuessing() {
        Map<String, Object> arguments = new HashMap<>();
        arguments.put("top", null);

        CallToolOutcome outcome = call(member(), arguments);

        assertThat(((CallToolOutcome.Failed) outcome).failure()).isInstanceOf(ToolFailure.InvalidArguments.class);
        assertThat(queries).isEmpty();
    }

    @Test
    void givenUnknownArgument_call_failsNamingIt() {
        CallToolOutcome outcome = call(member(), Map.of("top", 5, "filter", "startswith(displayName,'A')"));

        assertThat(((CallToolOutcome.Failed) outcome).failure().userMessage())
                .isEqualTo("Invalid arguments: unknown argument(s) filter");
        assertThat(queries).isEmpty();
    }

    @Test
    void givenMoreMembershipsThanTop_call_saysSoAndHowToSeeMore() {
        answer = new GroupPage(List.of(ALL_STAFF), true);

        ToolResult result = completed(call(member(), Map.of("top", 2)));

        assertThat(result.text()).startsWith("Among the first 2 memberships read, you are a direct member of 1 group.")
                .endsWith("There are more memberships: ask again with a larger 'top' (at most 100).");
        assertThat(result.structuredContent()).containsEntry("hasMore", true);
    }

    @Test
    void givenMoreMembershipsThanTheLargestPage_call_saysTheToolReadsNoFurther() {
        answer = new GroupPage(List.of(), true);

        ToolResult result = completed(call(member(), Map.of("top", 100)));

        assertThat(result.text()).startsWith("Among the first 100 memberships read, you are a direct member of no group.")
                .endsWith("There are more memberships than this tool reads at once (100).");
    }

    @Test
    void givenGroupWhoseNameTheDirectoryHid_call_showsItsId() {
        answer = new GroupPage(List.of(new DirectoryGroup("g-hidden", "", Optional.empty())), false);

        ToolResult result = completed(call(member(), Map.of()));

        assertThat(result.text()).isEqualTo("You are a direct member of 1 group.\n- g-hidden");
    }

    @Test
    void givenConsentMissingDownstream_call_failsWithConsentRequiredAndAuditsIt() {
        ToolCatalog failing = ToolCatalog.of(new ListMyGroupsTool((caller, query) -> {
            throw new ToolFailureException(new ToolFailure.ConsentRequired("GroupMember.Read.All was not consented.",
                    Optional.empty()));
        }));

        CallToolOutcome outcome = new CallToolService(failing, audit, FixedClock.atNow())
                .callTool(new CallToolCommand(member(), "list_my_groups", Map.of(), CORRELATION));

        assertThat(((CallToolOutcome.Failed) outcome).failure().userMessage())
                .startsWith("Consent required: GroupMember.Read.All was not consented.");
        assertThat(audit.actions()).containsExactly(AuditAction.ALLOWED, AuditAction.FAILED);
    }
}
