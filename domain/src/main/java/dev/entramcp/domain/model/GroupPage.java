package dev.entramcp.domain.model;

import java.util.List;

/**
 * One bounded page of the caller's group memberships. A directory pages its answers; the domain
 * never asks for "all of them" in one call, so a person with thousands of memberships cannot make
 * a tool call unbounded in time, memory or downstream load.
 *
 * @param groups  the groups read, in the directory's order
 * @param hasMore whether the directory holds more memberships than were read
 */
public record GroupPage(List<DirectoryGroup> groups, boolean hasMore) {

    public GroupPage {
        groups = Require.listOfNonNull(groups, "groups");
    }
}
