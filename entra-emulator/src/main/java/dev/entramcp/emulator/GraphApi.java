package dev.entramcp.emulator;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The two Microsoft Graph calls the project makes, {@code GET /me} (with {@code $select}) and
 * {@code POST /me/sendMail}, under {@code /graph/v1.0}. Graph is a resource server: it accepts only tokens
 * the emulator signed, for Graph's audience, that are current and carry the scope the call needs; it answers
 * refusals in Graph's error format. Every request is recorded (see {@link GraphRequest}).
 */
final class GraphApi {

    static final String PREFIX = "/graph/v1.0";
    private static final List<String> USER_PROPERTIES = List.of("businessPhones", "displayName", "givenName",
            "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName",
            "id");
    private static final Set<String> READ_USER_SCOPES = Set.of("User.Read", "User.ReadWrite", "User.Read.All");

    /** A refusal in Graph's format. */
    private static final class GraphError extends RuntimeException {
        final int status;
        final String code;

        GraphError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private final Settings settings;
    private final Directory directory;
    private final TokenVerifier verifier;
    private final Switches switches;
    private final Records records;

    GraphApi(Settings settings, Directory directory, TokenVerifier verifier, Switches switches, Records records) {
        this.settings = settings;
        this.directory = directory;
        this.verifier = verifier;
        this.switches = switches;
        this.records = records;
    }

    void handle(HttpCall call) {
        Instant receivedAt = settings.clock().instant();
        String authorization = call.header("Authorization");
        call.beforeSend(status -> {
            Map<String, Object> claims = authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? Map.of() : TokenVerifier.unverifiedClaims(authorization.substring(7).trim());
            records.graphRequest(new GraphRequest(call.method(), call.pathAndQuery(), status, authorization, claims,
                    receivedAt));
        });
        try {
            Optional<Switches.GraphFailure> failure = switches.takeGraphFailure();
            if (failure.isPresent()) {
                throttle(call, failure.get());
                return;
            }
            String path = call.path().substring(PREFIX.length());
            if (path.equals("/me") || path.equals("/me/")) {
                requireMethod(call, "GET");
                me(call, authenticate(call, READ_USER_SCOPES));
            } else if (path.equalsIgnoreCase("/me/sendMail")) {
                requireMethod(call, "POST");
                sendMail(call, authenticate(call, Set.of("Mail.Send")), receivedAt);
            } else {
                throw new GraphError(400, "BadRequest", "Resource not found for the segment '"
                        + (path.isEmpty() ? "/" : path.substring(1)) + "'. The emulator serves /me and"
                        + " /me/sendMail only.");
            }
        } catch (GraphError e) {
            error(call, e.status, e.code, e.getMessage());
        } catch (EntraError e) {
            error(call, 400, "BadRequest", e.getMessage());
        } catch (HttpCall.BodyTooLarge e) {
            error(call, 413, "RequestEntityTooLarge", "The request body is larger than the emulator accepts.");
        }
    }

    private void me(HttpCall call, Map<String, Object> claims) {
        DemoUser user = userOf(claims);
        Map<String, String> query = call.query();
        for (String option : query.keySet()) {
            if (option.startsWith("$") && !option.equals("$select")) {
                throw new GraphError(400, "BadRequest", "Query option '" + option + "' is not supported by the"
                        + " emulator; only $select is.");
            }
        }
        List<String> selected = new ArrayList<>();
        String select = query.get("$select");
        if (select != null) {
            for (String raw : select.split(",")) {
                String name = raw.trim();
                String property = USER_PROPERTIES.stream().filter(p -> p.equalsIgnoreCase(name)).findFirst()
                        .orElseThrow(() -> new GraphError(400, "BadRequest", "Could not find a property named '"
                                + name + "' on type 'microsoft.graph.user'."));
                if (!selected.contains(property)) {
                    selected.add(property);
                }
            }
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("businessPhones", List.of());
        all.put("displayName", user.displayName());
        all.put("givenName", user.givenName());
        all.put("jobTitle", null);
        all.put("mail", user.mail());
        all.put("mobilePhone", null);
        all.put("officeLocation", null);
        all.put("preferredLanguage", "en-US");
        all.put("surname", user.surname());
        all.put("userPrincipalName", user.userPrincipalName());
        all.put("id", user.objectId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", settings.base() + PREFIX + "/$metadata#users"
                + (selected.isEmpty() ? "" : "(" + String.join(",", selected) + ")") + "/$entity");
        if (selected.isEmpty()) {
            body.putAll(all);
        } else {
            selected.forEach(p -> body.put(p, all.get(p)));
        }
        call.json(200, body);
    }

    private void sendMail(HttpCall call, Map<String, Object> claims, Instant receivedAt) {
        DemoUser user = userOf(claims);
        String type = call.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new GraphError(415, "UnsupportedMediaType", "sendMail takes an application/json body.");
        }
        Map<String, Object> body;
        try {
            body = JSONObjectUtils.parse(call.body(HttpCall.MAX_JSON_BYTES));
        } catch (ParseException e) {
            throw new GraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type"
                    + " header is set and payload is of valid JSON format.");
        }
        if (!(body.get("message") instanceof Map)) {
            throw new GraphError(400, "ErrorInvalidParameter", "The value of the parameter 'Message' is empty.");
        }
        Map<?, ?> message = (Map<?, ?>) body.get("message");
        List<String> to = addresses(message.get("toRecipients"));
        List<String> cc = addresses(message.get("ccRecipients"));
        if (to.isEmpty()) {
            throw new GraphError(400, "ErrorInvalidRecipients", "At least one recipient isn't valid., A message"
                    + " can't be sent because it contains no recipients.");
        }
        String subject = message.get("subject") instanceof String ? (String) message.get("subject") : "";
        String contentType = "Text";
        String content = "";
        if (message.get("body") instanceof Map) {
            Map<?, ?> b = (Map<?, ?>) message.get("body");
            if (b.get("contentType") instanceof String) {
                contentType = (String) b.get("contentType");
            }
            if (b.get("content") instanceof String) {
                content = (String) b.get("content");
            }
        }
        if (!contentType.equalsIgnoreCase("Text") && !contentType.equalsIgnoreCase("HTML")) {
            throw new GraphError(400, "ErrorInvalidParameter", "The body's contentType must be Text or HTML.");
        }
        records.mail(new SentMail(user.objectId(), user.userPrincipalName(), String.valueOf(claims.get("azp")), to,
                cc, subject, contentType, content, receivedAt));
        call.empty(202);
    }

    private static List<String> addresses(Object recipients) {
        List<String> out = new ArrayList<>();
        if (recipients == null) {
            return out;
        }
        if (!(recipients instanceof List)) {
            throw new GraphError(400, "ErrorInvalidRecipients", "Recipients must be an array.");
        }
        for (Object recipient : (List<?>) recipients) {
            Object email = recipient instanceof Map ? ((Map<?, ?>) recipient).get("emailAddress") : null;
            Object address = email instanceof Map ? ((Map<?, ?>) email).get("address") : null;
            if (!(address instanceof String) || !((String) address).matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                throw new GraphError(400, "ErrorInvalidRecipients", "At least one recipient isn't valid., Recipient '"
                        + address + "' is not resolved. All recipients must be resolved before a message can be"
                        + " submitted.");
            }
            out.add((String) address);
        }
        return out;
    }

    /** The bearer token's claims if Graph would accept it for a call needing one of {@code scopes}. */
    private Map<String, Object> authenticate(HttpCall call, Set<String> scopes) {
        String header = call.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw unauthorized(call, "Access token is empty.");
        }
        Map<String, Object> claims;
        try {
            claims = verifier.verify(header.substring(7).trim());
        } catch (TokenVerifier.Rejected rejected) {
            throw unauthorized(call, switch (rejected.problem) {
                case MALFORMED -> "IDX14100: JWT is not well formed.";
                case EXPIRED -> "Lifetime validation failed, the token is expired.";
                case NOT_YET_VALID -> "Lifetime validation failed, the token is not yet valid.";
                case WRONG_ISSUER, WRONG_TENANT -> "Access token validation failure. Invalid issuer.";
                case KEY_NOT_FOUND, BAD_SIGNATURE, UNSUPPORTED_ALGORITHM ->
                        "Access token validation failure. Invalid signature.";
            });
        }
        if (!TokenVerifier.audienceIsOneOf(claims.get("aud"), EntraEmulator.GRAPH_APP_ID, EntraEmulator.GRAPH_RESOURCE,
                EntraEmulator.GRAPH_RESOURCE + "/")) {
            throw unauthorized(call, "Access token validation failure. Invalid audience.");
        }
        if (!(claims.get("scp") instanceof String) || "app".equals(claims.get("idtyp"))) {
            throw new GraphError(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
        }
        List<String> granted = List.of(((String) claims.get("scp")).split(" "));
        if (granted.stream().noneMatch(scopes::contains)) {
            throw new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the"
                    + " operation.");
        }
        return claims;
    }

    private DemoUser userOf(Map<String, Object> claims) {
        Object oid = claims.get("oid");
        return directory.user(oid instanceof String ? (String) oid : null).orElseThrow(() -> new GraphError(404,
                "Request_ResourceNotFound", "Resource '" + oid + "' does not exist or one of its queried reference"
                + "-property objects are not present."));
    }

    private GraphError unauthorized(HttpCall call, String message) {
        call.setHeader("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"" + settings.authority()
                + "/oauth2/v2.0/authorize\", client_id=\"" + EntraEmulator.GRAPH_APP_ID + "\"");
        return new GraphError(401, "InvalidAuthenticationToken", message);
    }

    private static void requireMethod(HttpCall call, String method) {
        if (!method.equals(call.method())) {
            call.setHeader("Allow", method);
            throw new GraphError(405, "Request_BadRequest", "The HTTP method '" + call.method()
                    + "' is not allowed here; use " + method + ".");
        }
    }

    private void throttle(HttpCall call, Switches.GraphFailure failure) {
        if (failure.retryAfter() != null) {
            long seconds = Math.max(0, (failure.retryAfter().toMillis() + 999) / 1000);
            call.setHeader("Retry-After", Long.toString(seconds));
        }
        switch (failure.status()) {
            case 429 -> error(call, 429, "TooManyRequests", "Too many requests. Retry after the interval in the"
                    + " Retry-After header.");
            case 503 -> error(call, 503, "ServiceUnavailable", "Service Unavailable. Retry later.");
            default -> error(call, failure.status(), "InternalServerError", "The service failed to process the"
                    + " request.");
        }
    }

    private void error(HttpCall call, int status, String code, String message) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("date", EntraErrors.timestamp(settings.clock().instant()).replace(' ', 'T'));
        inner.put("request-id", call.requestId());
        inner.put("client-request-id", call.correlationId());
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("innerError", inner);
        call.json(status, Map.of("error", error));
    }
}
