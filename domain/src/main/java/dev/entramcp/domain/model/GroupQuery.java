package dev.entramcp.domain.model;

// snippet:group-query
/**
 * What {@code list_my_groups} asks the directory for: at most {@code top} memberships, from
 * {@value #MIN_TOP} to {@value #MAX_TOP} (default {@value #DEFAULT_TOP}). The bound is the
 * domain's, whatever the client or the directory would allow.
 */
public record GroupQuery(int top) {

    public static final int MIN_TOP = 1;
    public static final int MAX_TOP = 100;
    public static final int DEFAULT_TOP = 25;

    public GroupQuery {
        if (top < MIN_TOP || top > MAX_TOP) {
            throw new IllegalArgumentException("'top' must be between " + MIN_TOP + " and " + MAX_TOP);
        }
    }

    public static GroupQuery defaults() {
        return new GroupQuery(DEFAULT_TOP);
    }

    /** Checks the range before narrowing, so that a huge number is refused rather than wrapped. */
    public static GroupQuery ofTop(long top) {
        if (top < MIN_TOP || top > MAX_TOP) {
            throw new IllegalArgumentException("'top' must be between " + MIN_TOP + " and " + MAX_TOP);
        }
        return new GroupQuery((int) top);
    }
}
// end-snippet
