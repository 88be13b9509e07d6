package dev.entramcp.emulator;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A user of the emulated tenant. There are no passwords: the sign-in page lists the users and you pick one,
 * because the emulator tests applications, not people.
 *
 * @param username          the short name used on the command line and in tests ({@code alice})
 * @param userPrincipalName the sign-in name, also {@code preferred_username} in tokens and {@code mail} in Graph
 * @param objectId          the {@code oid} claim: the stable identifier an application must key users on
 * @param displayName       the {@code name} claim and Graph's {@code displayName}
 * @param roles             app role values assigned to the user; a token for an app carries those the app defines
 */
public record DemoUser(String username, String userPrincipalName, String objectId, String displayName,
                       Set<String> roles) {

    /** The emulated tenant's domain; {@code .test} is reserved (RFC 2606), so these names can never be real. */
    public static final String DOMAIN = "entra-emulator.test";

    public DemoUser {
        requireText(username, "username");
        requireText(userPrincipalName, "userPrincipalName");
        requireText(displayName, "displayName");
        Objects.requireNonNull(objectId, "'objectId' must not be null");
        if (!username.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("'username' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (!userPrincipalName.matches("[^@\\s]+@[^@\\s]+")) {
            throw new IllegalArgumentException("'userPrincipalName' must look like name@domain");
        }
        UUID.fromString(objectId);
        roles = Set.copyOf(Objects.requireNonNull(roles, "'roles' must not be null"));
    }

    /** A user {@code username@entra-emulator.test} with a fresh object id. */
    public static DemoUser of(String username, String displayName, String... roles) {
        return new DemoUser(username, username.toLowerCase(Locale.ROOT) + "@" + DOMAIN,
                UUID.randomUUID().toString(), displayName, Set.of(roles));
    }

    public String mail() {
        return userPrincipalName;
    }

    public String givenName() {
        int space = displayName.indexOf(' ');
        return space < 0 ? displayName : displayName.substring(0, space);
    }

    public String surname() {
        int space = displayName.lastIndexOf(' ');
        return space < 0 ? "" : displayName.substring(space + 1);
    }

    /** True if {@code name} is this user's short name, sign-in name or object id (case-insensitive). */
    public boolean answersTo(String name) {
        return username.equalsIgnoreCase(name) || userPrincipalName.equalsIgnoreCase(name)
                || objectId.equalsIgnoreCase(name);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("'" + name + "' must not be blank");
        }
    }
}
