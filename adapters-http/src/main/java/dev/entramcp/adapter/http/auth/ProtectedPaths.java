package dev.entramcp.adapter.http.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The MCP endpoints that require a verified bearer token, whatever the HTTP method: Streamable HTTP
 * at {@code /mcp} (POST, GET, DELETE) and the legacy HTTP+SSE pair {@code /sse} and
 * {@code /message}, each with anything below it.
 *
 * <p>A path is compared after percent-decoding, collapsing repeated slashes, dropping a trailing
 * slash and lower-casing, so that {@code //MCP/} or {@code /%6Dcp} cannot slip past the rule
 * while still reaching a controller. Matching more than the router would is the safe direction.
 *
 * <p>This is the one definition of "an MCP endpoint" in the module: authentication
 * ({@link McpEndpointsSecurityRule}, {@link CallerRequiredFilter}) and the transports' request
 * hygiene (Origin, Host, body size) both use it, and a test checks that every route the
 * transports declare falls under it.
 */
public final class ProtectedPaths {

    /** The protected path prefixes. */
    public static final List<String> PREFIXES = List.of("/mcp", "/sse", "/message");

    private ProtectedPaths() {
    }

    /** Whether a request path (as received, possibly percent-encoded) is an MCP endpoint. */
    public static boolean isProtected(String rawPath) {
        if (rawPath == null) {
            return false;
        }
        String path = normalise(rawPath);
        for (String prefix : PREFIXES) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    static String normalise(String rawPath) {
        int query = rawPath.indexOf('?');
        String path = percentDecode(query >= 0 ? rawPath.substring(0, query) : rawPath);
        StringBuilder collapsed = new StringBuilder(path.length() + 1);
        char previous = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                c = '/';
            }
            if (c != '/' || previous != '/') {
                collapsed.append(c);
            }
            previous = c;
        }
        if (collapsed.length() == 0 || collapsed.charAt(0) != '/') {
            collapsed.insert(0, '/');
        }
        while (collapsed.length() > 1 && collapsed.charAt(collapsed.length() - 1) == '/') {
            collapsed.setLength(collapsed.length() - 1);
        }
        return collapsed.toString().toLowerCase(Locale.ROOT);
    }

    private static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()
                    && Character.digit(value.charAt(i + 1), 16) >= 0 && Character.digit(value.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(value.charAt(i + 1), 16) * 16 + Character.digit(value.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
