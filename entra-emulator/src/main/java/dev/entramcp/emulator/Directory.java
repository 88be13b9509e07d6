package dev.entramcp.emulator;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The emulated tenant: its users, their groups, its app registrations, and who consented to what.
 *
 * <p>Consent follows Entra's model closely enough for the flows here. An app's {@code delegatedPermissions}
 * carry tenant-wide admin consent; a user adds per-user grants on the consent page; an API's pre-authorized
 * clients need no consent; an app may always get a token for its own API. {@link #withdraw} takes everything
 * that let one client act for one user (admin consent and pre-authorization included) away, until that user
 * consents again interactively: a test switch, stricter than anything an Entra admin can do per user.
 */
final class Directory {

    private final String tenantId;
    private final List<DemoUser> users;
    private final List<DemoGroup> groups;
    private final Map<String, AppRegistration> apps = new ConcurrentHashMap<>();
    private final Set<String> withdrawn = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> userGrants = new ConcurrentHashMap<>();

    Directory(String tenantId, List<DemoUser> users, Collection<AppRegistration> registrations) {
        this(tenantId, users, List.of(), registrations);
    }

    Directory(String tenantId, List<DemoUser> users, List<DemoGroup> groups, Collection<AppRegistration> registrations) {
        this.tenantId = tenantId;
        this.users = List.copyOf(users);
        this.groups = List.copyOf(groups);
        for (AppRegistration app : registrations) {
            if (apps.putIfAbsent(key(app.clientId()), app) != null) {
                throw new IllegalArgumentException("two apps share the client id " + app.clientId());
            }
        }
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (DemoUser user : users) {
            if (!names.add(user.username()) || !names.add(user.userPrincipalName())) {
                throw new IllegalArgumentException("two users share the name " + user.username());
            }
        }
        Set<String> groupIds = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (DemoGroup group : this.groups) {
            if (!groupIds.add(group.objectId())) {
                throw new IllegalArgumentException("two groups share the object id " + group.objectId());
            }
            for (String member : group.members()) {
                if (user(member).isEmpty()) {
                    throw new IllegalArgumentException("group '" + group.displayName() + "' names no user: " + member);
                }
            }
        }
    }

    String tenantId() {
        return tenantId;
    }

    List<DemoUser> users() {
        return users;
    }

    Optional<DemoUser> user(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return users.stream().filter(u -> u.answersTo(name)).findFirst();
    }

    List<DemoGroup> groups() {
        return groups;
    }

    /** What {@code user} is a direct member of, in the order the world lists it. */
    List<DemoGroup> membershipsOf(DemoUser user) {
        return groups.stream().filter(group -> group.hasMember(user)).toList();
    }

    Optional<AppRegistration> app(String clientId) {
        return clientId == null ? Optional.empty() : Optional.ofNullable(apps.get(key(clientId)));
    }

    Collection<AppRegistration> apps() {
        return apps.values();
    }

    AppRegistration update(String clientId, UnaryOperator<AppRegistration> change) {
        AppRegistration updated = apps.computeIfPresent(key(clientId), (k, app) -> change.apply(app));
        if (updated == null) {
            throw new IllegalArgumentException("no app with client id " + clientId);
        }
        return updated;
    }

    /** The resource a scope prefix names: Graph, or an app by its application ID URI or client id. */
    Optional<Resource> resourceNamed(String prefix) {
        if (Resource.GRAPH.isNamedBy(prefix)) {
            return Optional.of(Resource.GRAPH);
        }
        return apps.values().stream().map(Resource::of).filter(r -> r.isNamedBy(prefix)).findFirst();
    }

    Optional<Resource> resource(String appId) {
        if (Resource.GRAPH.appId().equalsIgnoreCase(appId)) {
            return Optional.of(Resource.GRAPH);
        }
        return app(appId).map(Resource::of);
    }

    /** The delegated scopes {@code client} may use on {@code resource} for {@code user} without asking anyone. */
    Set<String> consented(DemoUser user, AppRegistration client, Resource resource) {
        Set<String> scopes = new LinkedHashSet<>();
        if (resource.appId().equals(client.clientId())) {
            scopes.addAll(resource.scopes());
            return scopes;
        }
        if (!withdrawn.contains(pair(user, client.clientId()))) {
            app(resource.appId()).filter(api -> api.preAuthorizedClientIds().contains(client.clientId()))
                    .ifPresent(api -> scopes.addAll(api.exposedScopes()));
            scopes.addAll(client.delegatedPermissions().getOrDefault(resource.appId(), Set.of()));
        }
        scopes.addAll(userGrants.getOrDefault(grantKey(user, client.clientId(), resource.appId()), Set.of()));
        scopes.retainAll(resource.scopes());
        return scopes;
    }

    /** Everything the client could be granted on the resource by consent (what a consent page offers for .default). */
    Set<String> requestable(AppRegistration client, Resource resource) {
        Set<String> scopes = new LinkedHashSet<>(client.delegatedPermissions().getOrDefault(resource.appId(), Set.of()));
        app(resource.appId()).filter(api -> api.preAuthorizedClientIds().contains(client.clientId()))
                .ifPresent(api -> scopes.addAll(api.exposedScopes()));
        return scopes;
    }

    /** True if the user's consent to this client was withdrawn and not given again. */
    boolean isWithdrawn(DemoUser user, String clientId) {
        return withdrawn.contains(pair(user, clientId));
    }

    /** Records the user's own consent (the consent page, or auto-approval); it also ends a withdrawal. */
    void grant(DemoUser user, AppRegistration client, Resource resource, Set<String> scopes) {
        withdrawn.remove(pair(user, client.clientId()));
        if (!scopes.isEmpty()) {
            userGrants.computeIfAbsent(grantKey(user, client.clientId(), resource.appId()),
                    k -> ConcurrentHashMap.newKeySet()).addAll(scopes);
        }
    }

    /** Takes away the user's consent to the client, including the tenant-wide admin consent, for this user. */
    void withdraw(DemoUser user, String clientId) {
        AppRegistration client = app(clientId).orElseThrow(() ->
                new IllegalArgumentException("no app with client id " + clientId));
        withdrawn.add(pair(user, client.clientId()));
        userGrants.keySet().removeIf(k -> k.startsWith(pair(user, client.clientId()) + "|"));
    }

    /** The roles of {@code user} that the app with {@code definedRoles} defines. */
    static Set<String> rolesOf(DemoUser user, Set<String> definedRoles) {
        Set<String> roles = new TreeSet<>(user.roles());
        roles.retainAll(definedRoles);
        return roles;
    }

    private static String key(String clientId) {
        return clientId.toLowerCase(Locale.ROOT);
    }

    private static String pair(DemoUser user, String clientId) {
        return user.objectId() + "|" + key(clientId);
    }

    private static String grantKey(DemoUser user, String clientId, String resourceAppId) {
        return pair(user, clientId) + "|" + key(resourceAppId);
    }
}
