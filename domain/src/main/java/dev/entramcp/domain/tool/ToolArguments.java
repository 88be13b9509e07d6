package dev.entramcp.domain.tool;

import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Typed, checked reading of a tool's JSON arguments. Every problem becomes a
 * {@link ToolFailure.InvalidArguments} naming the argument, so a tool never crashes on input.
 * This repeats what the JSON Schema says on purpose: the schema is for clients, and a transport
 * might not enforce it.
 */
public final class ToolArguments {

    private final Map<String, Object> arguments;

    private ToolArguments(Map<String, Object> arguments) {
        this.arguments = arguments;
    }

    /** Reads these arguments, refusing any name not in {@code allowed}. */
    public static ToolArguments of(Map<String, Object> arguments, Set<String> allowed) {
        TreeSet<String> unknown = new TreeSet<>(arguments.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw invalid("unknown argument(s) " + String.join(", ", unknown));
        }
        return new ToolArguments(arguments);
    }

    public String requiredString(String name) {
        Object value = arguments.get(name);
        if (value == null) {
            throw invalid("'" + name + "' is required");
        }
        if (!(value instanceof String text)) {
            throw invalid("'" + name + "' must be a string");
        }
        return text;
    }

    public List<String> requiredStringList(String name) {
        Object value = arguments.get(name);
        if (value == null) {
            throw invalid("'" + name + "' is required");
        }
        if (!(value instanceof List<?> list)) {
            throw invalid("'" + name + "' must be an array of strings");
        }
        List<String> strings = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String text)) {
                throw invalid("'" + name + "' must be an array of strings");
            }
            strings.add(text);
        }
        return strings;
    }

    /**
     * Builds a domain value, turning its validation failure into an invalid-arguments failure
     * with the value object's own message.
     */
    public static <T> T validated(Supplier<T> factory) {
        try {
            return factory.get();
        } catch (IllegalArgumentException invalidValue) {
            throw invalid(invalidValue.getMessage());
        }
    }

    private static ToolFailureException invalid(String detail) {
        return new ToolFailureException(new ToolFailure.InvalidArguments(detail));
    }
}
