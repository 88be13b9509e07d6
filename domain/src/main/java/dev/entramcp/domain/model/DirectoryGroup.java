package dev.entramcp.domain.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A directory group the signed-in user is a direct member of (a Microsoft Graph {@code group}).
 * Only {@code id} is always known: a directory may hide the other properties from an application
 * that lacks the permission to read them (Graph then returns the object "with limited
 * information"), so {@code displayName} may be empty.
 *
 * @param id          the group's object id
 * @param displayName its display name; empty when the directory did not reveal it
 * @param description its description, when it has one
 */
public record DirectoryGroup(String id, String displayName, Optional<String> description) {

    public DirectoryGroup {
        Require.maxLength(Require.notBlank(id, "id"), 256, "id");
        Require.maxLength(displayName, 256, "displayName");
        Require.notNull(description, "description");
        description.ifPresent(text -> Require.maxLength(text, 1024, "description"));
    }

    public static DirectoryGroup of(String id, String displayName, String description) {
        return new DirectoryGroup(id, displayName, Optional.ofNullable(description));
    }

    /** The name to show a person: the display name, or the id when the directory hid the name. */
    public String label() {
        return displayName.isBlank() ? id : displayName;
    }

    /** The group as a JSON object of its known fields. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("displayName", displayName);
        description.ifPresent(text -> map.put("description", text));
        return map;
    }
}
