package dev.entramcp.domain.model;

import java.util.Collection;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The caller as the server sees it once a transport has authenticated it: who (tenant and
 * object id), through which client application, and with which delegated scopes and app roles.
 *
 * <p>It is built by a driving adapter from a verified token (remote) or from the signed-in
 * account (local). The optional {@link UserAssertion} is the inbound token, kept only for an
 * On-Behalf-Of exchange; it masks itself, so this record never prints a token.
 *
 * @param principal    tenant id and object id
 * @param username     the sign-in name ({@code preferred_username}); may be empty for an application
 * @param displayName  the display name ({@code name}); may be empty
 * @param clientAppId  the client application that obtained the token ({@code azp})
 * @param scopes       delegated scopes granted to the client for this user ({@code scp})
 * @param roles        app roles assigned to the user or application ({@code roles})
 * @param kind         user (delegated) or application (app-only)
 * @param assertion    the inbound token for On-Behalf-Of, when the transport has one
 */
public record CallerIdentity(
        PrincipalId principal,
        String username,
        String displayName,
        String clientAppId,
        SortedSet<String> scopes,
        SortedSet<String> roles,
        CallerKind kind,
        Optional<UserAssertion> assertion) {

    public CallerIdentity {
        Require.notNull(principal, "principal");
        Require.maxLength(username, 256, "username");
        Require.maxLength(displayName, 256, "displayName");
        Require.maxLength(Require.notBlank(clientAppId, "clientAppId"), 256, "clientAppId");
        scopes = Require.sortedSetOfNonBlank(scopes, "scopes");
        roles = Require.sortedSetOfNonBlank(roles, "roles");
        Require.notNull(kind, "kind");
        Require.notNull(assertion, "assertion");
        if (kind == CallerKind.APPLICATION && !scopes.isEmpty()) {
            throw new IllegalArgumentException("'scopes' must be empty for an application caller: app-only tokens carry roles, not scopes");
        }
    }

    /** A signed-in user acting through a client application. */
    public static CallerIdentity user(PrincipalId principal, String username, String displayName, String clientAppId,
                                      Collection<String> scopes, Collection<String> roles) {
        // One checked copy each, which the compact constructor then keeps as it is.
        return new CallerIdentity(principal, username, displayName, clientAppId,
                Require.sortedSetOfNonBlank(scopes, "scopes"), Require.sortedSetOfNonBlank(roles, "roles"),
                CallerKind.USER, Optional.empty());
    }

    /** An application calling with its own identity (client credentials). */
    public static CallerIdentity application(PrincipalId principal, String displayName, String clientAppId,
                                             Collection<String> roles) {
        return new CallerIdentity(principal, "", displayName, clientAppId,
                Require.sortedSetOfNonBlank(java.util.List.of(), "scopes"), Require.sortedSetOfNonBlank(roles, "roles"),
                CallerKind.APPLICATION, Optional.empty());
    }

    /**
     * The same caller, carrying the inbound token for a later On-Behalf-Of exchange. Called once
     * per request; the scope and role sets are this record's own checked copies, so they are shared,
     * not copied again.
     */
    public CallerIdentity withAssertion(UserAssertion userAssertion) {
        return new CallerIdentity(principal, username, displayName, clientAppId, scopes, roles, kind,
                Optional.of(Require.notNull(userAssertion, "userAssertion")));
    }

    public boolean isUser() {
        return kind == CallerKind.USER;
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** The best human-readable name: display name, then username, then the object id. */
    public String label() {
        if (!displayName.isBlank()) {
            return displayName;
        }
        return username.isBlank() ? principal.objectId() : username;
    }
}
