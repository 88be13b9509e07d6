package dev.entramcp.adapter.http.facade;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.PrincipalId;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Who signed in at Entra, as its newest ID token says (the sign-in's, then each refresh's): the
 * {@code tid/oid} pair that keys everything, the names to show, and the app roles Entra assigns to
 * the user in this server's app registration (they go into the facade's tokens as {@code roles}).
 */
public record SignedInUser(PrincipalId principal, String username, String displayName, SortedSet<String> roles) {

    public SignedInUser {
        Objects.requireNonNull(principal, "'principal' must not be null");
        username = username == null ? "" : username;
        displayName = displayName == null ? "" : displayName;
        roles = new TreeSet<>(roles);
    }

    static SignedInUser of(CallerIdentity user) {
        return new SignedInUser(user.principal(), user.username(), user.displayName(), user.roles());
    }

    static SignedInUser of(String tenantId, String objectId, String username, String displayName, Collection<String> roles) {
        return new SignedInUser(PrincipalId.of(tenantId, objectId), username, displayName,
                new TreeSet<>(roles == null ? List.of() : roles));
    }
}
