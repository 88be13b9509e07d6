package dev.entramcp.domain.model;

/** What happened, for the audit trail. */
public enum AuditAction {
    /** The caller listed tools; the event names the tools shown. */
    LISTED,
    /** A call passed the authorization policy and ran. */
    ALLOWED,
    /** A call was refused by the authorization policy. */
    DENIED,
    /** A call was allowed but failed (downstream error, bad arguments, sign-in needed). */
    FAILED
}
