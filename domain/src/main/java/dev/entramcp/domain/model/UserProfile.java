package dev.entramcp.domain.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The signed-in user's directory profile (Graph {@code /me}). Only {@code id} and
 * {@code displayName} are always present; the rest depend on the directory.
 */
public record UserProfile(String id, String displayName, Optional<String> userPrincipalName, Optional<String> mail,
                          Optional<String> jobTitle, Optional<String> officeLocation) {

    public UserProfile {
        Require.notBlank(id, "id");
        Require.notNull(displayName, "displayName");
        Require.notNull(userPrincipalName, "userPrincipalName");
        Require.notNull(mail, "mail");
        Require.notNull(jobTitle, "jobTitle");
        Require.notNull(officeLocation, "officeLocation");
    }

    /** The profile as a JSON object of its present fields. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("displayName", displayName);
        userPrincipalName.ifPresent(value -> map.put("userPrincipalName", value));
        mail.ifPresent(value -> map.put("mail", value));
        jobTitle.ifPresent(value -> map.put("jobTitle", value));
        officeLocation.ifPresent(value -> map.put("officeLocation", value));
        return map;
    }
}
