package dev.entramcp.domain.model;

/** Whether a token was issued to a signed-in user (delegated) or to an application alone. */
public enum CallerKind {
    /** A delegated token: an application acting for a signed-in user, limited by scopes. */
    USER,
    /** An app-only token (client credentials): no user, permissions come from app roles. */
    APPLICATION
}
