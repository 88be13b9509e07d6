package dev.entramcp.domain.tool;

import dev.entramcp.domain.model.AccessRequirement;
import dev.entramcp.domain.model.DirectoryGroup;
import dev.entramcp.domain.model.GroupPage;
import dev.entramcp.domain.model.GroupQuery;
import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.ToolHints;
import dev.entramcp.domain.model.ToolInvocation;
import dev.entramcp.domain.model.ToolName;
import dev.entramcp.domain.model.ToolResult;
import dev.entramcp.domain.port.out.ListMyGroupsPort;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code list_my_groups}: the groups the caller is a direct member of, from Microsoft Graph
 * ({@code GET /me/memberOf}). It is the walk-through tool of {@code docs/add-a-tool.md}, chosen
 * because it teaches three things the other tools do not:
 * <ul>
 *   <li>a delegated permission, {@code GroupMember.Read.All}, that only an administrator can
 *       consent to (a user cannot grant it alone);</li>
 *   <li>paging limits: one bounded page of at most {@value GroupQuery#MAX_TOP} memberships, and
 *       the result says when there are more;</li>
 *   <li>validating an optional numeric argument in the domain, whatever the client sent.</li>
 * </ul>
 */
public final class ListMyGroupsTool implements Tool {

    public static final String REQUIRED_SCOPE = "GroupMember.Read.All";

    // snippet:list-my-groups-descriptor
    private static final ToolDescriptor DESCRIPTOR = new ToolDescriptor(
            ToolName.of("list_my_groups"),
            "List my groups",
            "Lists the Microsoft Entra groups you are a direct member of (name, description and id), "
                    + "reading at most 'top' memberships (default " + GroupQuery.DEFAULT_TOP + ", at most "
                    + GroupQuery.MAX_TOP + "); says when there are more. Needs the GroupMember.Read.All "
                    + "permission, which an administrator must consent to.",
            Map.of("type", "object",
                    "properties", Map.of(
                            "top", Map.of("type", "integer",
                                    "description", "How many memberships to read, " + GroupQuery.MIN_TOP + " to "
                                            + GroupQuery.MAX_TOP + " (default " + GroupQuery.DEFAULT_TOP + ")",
                                    "minimum", GroupQuery.MIN_TOP, "maximum", GroupQuery.MAX_TOP)),
                    "additionalProperties", false),
            ToolHints.readOnly(true),
            // snippet:list-my-groups-requirement
            AccessRequirement.signedInUser().withAllScopes(REQUIRED_SCOPE));
            // end-snippet
    // end-snippet

    private final ListMyGroupsPort groups;

    public ListMyGroupsTool(ListMyGroupsPort groups) {
        this.groups = Objects.requireNonNull(groups, "'groups' must not be null");
    }

    @Override
    public ToolDescriptor descriptor() {
        return DESCRIPTOR;
    }

    // snippet:list-my-groups-call
    @Override
    public ToolResult call(ToolInvocation invocation) {
        GroupQuery query = parse(invocation.arguments());
        GroupPage page = groups.listMyGroups(invocation.caller(), query);
        int found = page.groups().size();
        String count = found == 0 ? "no group" : found + (found == 1 ? " group" : " groups");
        StringBuilder text = new StringBuilder(page.hasMore()
                ? "Among the first " + query.top() + " memberships read, you are a direct member of " + count + "."
                : "You are a direct member of " + count + ".");
        for (DirectoryGroup group : page.groups()) {
            text.append("\n- ").append(group.label());
            group.description().filter(d -> !d.isBlank()).ifPresent(d -> text.append(": ").append(d));
        }
        if (page.hasMore()) {
            text.append(query.top() < GroupQuery.MAX_TOP
                    ? "\nThere are more memberships: ask again with a larger 'top' (at most " + GroupQuery.MAX_TOP + ")."
                    : "\nThere are more memberships than this tool reads at once (" + GroupQuery.MAX_TOP + ").");
        }
        List<Map<String, Object>> listed = page.groups().stream().map(DirectoryGroup::asMap).toList();
        return ToolResult.of(text.toString(), Map.of("groups", listed, "hasMore", page.hasMore()));
    }

    /** The optional {@code top}: absent means the default; anything but a whole number in range is refused. */
    static GroupQuery parse(Map<String, Object> arguments) {
        ToolArguments.of(arguments, Set.of("top"));
        if (!arguments.containsKey("top")) {
            return GroupQuery.defaults();
        }
        BigDecimal top = wholeNumber(arguments.get("top")).orElseThrow(() -> new ToolFailureException(
                new ToolFailure.InvalidArguments("'top' must be a whole number from " + GroupQuery.MIN_TOP
                        + " to " + GroupQuery.MAX_TOP)));
        long clamped = top.max(BigDecimal.valueOf(Long.MIN_VALUE)).min(BigDecimal.valueOf(Long.MAX_VALUE)).longValueExact();
        return ToolArguments.validated(() -> GroupQuery.ofTop(clamped));
    }
    // end-snippet

    /** A JSON number without a fractional part (10 and 10.0 alike), never built by expanding an exponent. */
    private static Optional<BigDecimal> wholeNumber(Object value) {
        if (!(value instanceof Number number)) {
            return Optional.empty();
        }
        if ((number instanceof Double d && !Double.isFinite(d)) || (number instanceof Float f && !Float.isFinite(f))) {
            return Optional.empty();
        }
        BigDecimal decimal;
        try {
            decimal = new BigDecimal(number.toString());
        } catch (NumberFormatException notADecimal) {
            return Optional.empty();
        }
        return decimal.signum() == 0 || decimal.stripTrailingZeros().scale() <= 0 ? Optional.of(decimal) : Optional.empty();
    }
}
