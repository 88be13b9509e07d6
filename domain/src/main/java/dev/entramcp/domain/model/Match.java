package dev.entramcp.domain.model;

/** How a set of required scopes or roles is matched against what the caller holds. */
public enum Match {
    /** The caller must hold every one of them. */
    ALL_OF,
    /** The caller must hold at least one of them. */
    ANY_OF
}
