package dev.entramcp.adapter.http.facade;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a query string or an {@code application/x-www-form-urlencoded} body, parsed
 * here rather than by the framework so that a repeated parameter is seen (RFC 6749 section 3.1:
 * parameters must not be included more than once; which copy would count is ambiguous).
 */
final class Form {

    private static final int MAX_PARAMETERS = 64;

    private final Map<String, List<String>> values;

    private Form(Map<String, List<String>> values) {
        this.values = values;
    }

    static Form parse(String encoded) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return new Form(values);
        }
        String[] pairs = encoded.split("&");
        if (pairs.length > MAX_PARAMETERS) {
            throw OAuthError.invalidRequest("too many parameters");
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidRequest("the parameters are not correctly URL-encoded");
            }
        }
        return new Form(values);
    }

    /** The parameter's one value; empty when absent or empty; refused when repeated. */
    Optional<String> single(String name) {
        List<String> all = values.get(name);
        if (all == null) {
            return Optional.empty();
        }
        if (all.size() > 1) {
            throw OAuthError.invalidRequest("the parameter " + name + " is repeated");
        }
        return Optional.of(all.get(0)).filter(value -> !value.isEmpty());
    }

    /** The parameter's one value; refused when absent, empty or repeated. */
    String required(String name) {
        return single(name).orElseThrow(() -> OAuthError.invalidRequest("the parameter " + name + " is required"));
    }

    /** Whether the parameter appears more than once. */
    boolean repeated(String name) {
        List<String> all = values.get(name);
        return all != null && all.size() > 1;
    }

    /** The first repeated parameter, if any. */
    Optional<String> anyRepeated() {
        return values.entrySet().stream().filter(entry -> entry.getValue().size() > 1).map(Map.Entry::getKey).findFirst();
    }
}
