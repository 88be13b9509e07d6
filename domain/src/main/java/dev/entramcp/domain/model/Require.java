package dev.entramcp.domain.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * Argument checks shared by the value objects. Every message names the field, so a failure says
 * exactly what was wrong ({@code "'tenantId' must not be blank"}).
 */
public final class Require {

    private Require() {
    }

    public static <T> T notNull(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("'" + field + "' must not be null");
        }
        return value;
    }

    public static String notBlank(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("'" + field + "' must not be blank");
        }
        return value;
    }

    public static String maxLength(String value, int max, String field) {
        notNull(value, field);
        if (value.length() > max) {
            throw new IllegalArgumentException("'" + field + "' must be at most " + max + " characters");
        }
        return value;
    }

    public static String matches(String value, java.util.regex.Pattern pattern, String field, String expected) {
        notNull(value, field);
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + field + "' must be " + expected);
        }
        return value;
    }

    /**
     * An immutable, sorted copy: deterministic order in messages and on the wire. A set this method
     * returned before is returned as it is, since it is already such a copy.
     */
    public static SortedSet<String> sortedSetOfNonBlank(Collection<String> values, String field) {
        return CheckedSortedSet.of(values, field);
    }

    public static <T> List<T> listOfNonNull(List<T> values, String field) {
        notNull(values, field);
        for (T value : values) {
            if (value == null) {
                throw new IllegalArgumentException("'" + field + "' must not contain null entries");
            }
        }
        return List.copyOf(values);
    }

    public static Map<String, Object> deepImmutableMap(Map<String, ?> values, String field) {
        notNull(values, field);
        return JsonValues.immutableObject(values, field);
    }
}
