package dev.entramcp.emulator;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Something users of the emulated tenant are direct members of, as Graph's {@code /me/memberOf} lists it: a
 * security group, or a directory role (which Graph lists there too, and which a client that asked for groups
 * must skip).
 *
 * @param kind        a group or a directory role: its {@code @odata.type}
 * @param objectId    the object id, a GUID
 * @param displayName the display name
 * @param description the description, or null
 * @param members     the short names ({@code alice}) of its direct members; each must name a user of the world
 */
public record DemoGroup(Kind kind, String objectId, String displayName, String description, Set<String> members) {

    /** What kind of directory object the membership is. */
    public enum Kind {
        GROUP("#microsoft.graph.group"),
        DIRECTORY_ROLE("#microsoft.graph.directoryRole");

        private final String odataType;

        Kind(String odataType) {
            this.odataType = odataType;
        }

        /** The {@code @odata.type} Graph gives the object. */
        public String odataType() {
            return odataType;
        }
    }

    public DemoGroup {
        Objects.requireNonNull(kind, "'kind' must not be null");
        Objects.requireNonNull(objectId, "'objectId' must not be null");
        if (!UUID.fromString(objectId).toString().equals(objectId)) {
            throw new IllegalArgumentException("'objectId' must be a lower-case GUID");
        }
        if (displayName == null || displayName.isBlank()) {
            throw new IllegalArgumentException("'displayName' must not be blank");
        }
        members = Set.copyOf(new LinkedHashSet<>(Objects.requireNonNull(members, "'members' must not be null")));
    }

    /** A security group with a fresh object id, whose direct members are these users (short names). */
    public static DemoGroup group(String displayName, String description, String... members) {
        return new DemoGroup(Kind.GROUP, UUID.randomUUID().toString(), displayName, description, Set.of(members));
    }

    /** A directory role (such as Global Reader) with a fresh object id, held by these users (short names). */
    public static DemoGroup directoryRole(String displayName, String description, String... members) {
        return new DemoGroup(Kind.DIRECTORY_ROLE, UUID.randomUUID().toString(), displayName, description,
                Set.of(members));
    }

    /** True if {@code user} is a direct member. */
    public boolean hasMember(DemoUser user) {
        return members.stream().anyMatch(user::answersTo);
    }

    /** The default groups: everyone in All Staff, alice in Engineering and the Global Reader role, bob in Sales. */
    static List<DemoGroup> defaults() {
        return List.of(
                group("All Staff", "Everyone in the emulated tenant", "alice", "bob"),
                group("Engineering", "The people who build entra-mcp", "alice"),
                directoryRole("Global Reader", "Can read everything that a Global Administrator can, but not update"
                        + " anything.", "alice"),
                group("Sales", null, "bob"));
    }
}
