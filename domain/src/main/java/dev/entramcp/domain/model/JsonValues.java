package dev.entramcp.domain.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON-shaped data as plain Java values: {@code Map<String, Object>}, {@code List<Object>},
 * {@code String}, {@code Number}, {@code Boolean} and {@code null}. The domain describes tool
 * schemas and structured results this way so that it never needs a JSON library.
 */
public final class JsonValues {

    private JsonValues() {
    }

    /** A deep, immutable, insertion-ordered copy; rejects anything that is not JSON-shaped. */
    public static Map<String, Object> immutableObject(Map<String, ?> source, String field) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> entry : source.entrySet()) {
            if (entry.getKey() == null) {
                throw new IllegalArgumentException("'" + field + "' must not contain a null key");
            }
            copy.put(entry.getKey(), immutableValue(entry.getValue(), field + "." + entry.getKey()));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object immutableValue(Object value, String field) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("'" + field + "' must have string keys");
                }
                copy.put(key, immutableValue(entry.getValue(), field + "." + key));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(immutableValue(list.get(i), field + "[" + i + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(
                "'" + field + "' holds a " + value.getClass().getSimpleName() + ", which is not a JSON value");
    }

    /**
     * A JSON string literal that cannot break a log line: quotes and backslashes are escaped, and
     * every character outside printable ASCII (line breaks, control characters, Unicode line
     * separators) is written as a {@code \\uXXXX} escape.
     */
    public static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7F) {
                quoted.append(c);
            } else {
                quoted.append(String.format("\\u%04x", (int) c));
            }
        }
        return quoted.append('"').toString();
    }
}
