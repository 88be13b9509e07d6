package dev.entramcp.domain.port.out;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.GroupPage;
import dev.entramcp.domain.model.GroupQuery;

// snippet:list-my-groups-port
/**
 * Lists the groups the signed-in caller is a direct member of (Microsoft Graph
 * {@code GET /me/memberOf}), one bounded page of at most {@code query.top()} memberships.
 * Failures arrive as a {@link dev.entramcp.domain.model.ToolFailureException}.
 */
@FunctionalInterface
public interface ListMyGroupsPort {

    GroupPage listMyGroups(CallerIdentity caller, GroupQuery query);
}
// end-snippet
