package dev.entramcp.emulator;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The Microsoft Graph calls the project makes, {@code GET /me} (with {@code $select}), {@code POST /me/sendMail}
 * and {@code GET /me/memberOf} (with {@code $select}, {@code $top} and paging), under {@code /graph/v1.0}. Graph is a resource server: it accepts only tokens
 * the emulator signed, for Graph's audience, that are current and carry the scope the call needs; it answers
 * refusals in Graph's error format. Every request is recorded (see {@link GraphRequest}).
 */
final class GraphApi {

    static final String PREFIX = "/graph/v1.0";
    private static final List<String> USER_PROPERTIES = List.of("businessPhones", "displayName", "givenName",
            "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName",
            "id");
    private static final Set<String> READ_USER_SCOPES = Set.of("User.Read", "User.ReadWrite", "User.Read.All");
    /** Enough to list one's own memberships, but with User.Read alone only with limited information (as Graph). */
    private static final Set<String> LIST_MEMBERSHIP_SCOPES = Set.of("User.Read", "User.ReadWrite", "User.Read.All",
            "GroupMember.Read.All", "Group.Read.All", "Directory.Read.All");
    /** What reveals a group's properties in a membership list. */
    private static final Set<String> READ_GROUP_SCOPES = Set.of("GroupMember.Read.All", "Group.Read.All",
            "Directory.Read.All");
    /** What reveals a directory role's properties in a membership list. */
    private static final Set<String> READ_ROLE_SCOPES = Set.of("Directory.Read.All");
    private static final List<String> DIRECTORY_OBJECT_PROPERTIES = List.of("id", "displayName", "description",
            "mail", "mailEnabled", "securityEnabled", "groupTypes", "roleTemplateId");
    private static final int DEFAULT_PAGE_SIZE = 100;
    private static final int MAX_PAGE_SIZE = 999;
    private static final String SKIPTOKEN_PREFIX = "offset:";

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
            // snippet:emulator-member-of-route
            } else if (path.equalsIgnoreCase("/me/memberOf")) {
                requireMethod(call, "GET");
                memberOf(call, authenticate(call, LIST_MEMBERSHIP_SCOPES));
            // end-snippet
            } else {
                throw new GraphError(400, "BadRequest", "Resource not found for the segment '"
                        + (path.isEmpty() ? "/" : path.substring(1)) + "'. The emulator serves /me, /me/sendMail"
                        + " and /me/memberOf only.");
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

    /**
     * {@code GET /me/memberOf}: the user's direct memberships, groups and directory roles alike, one page at a time.
     * As in Graph, an object the token may not read is still listed, with its {@code @odata.type} and {@code id}
     * only and every other property null ("limited information"): with {@code User.Read} alone no group shows a
     * name; with {@code GroupMember.Read.All} groups do but directory roles do not.
     */
    private void memberOf(HttpCall call, Map<String, Object> claims) {
        DemoUser user = userOf(claims);
        Set<String> granted = new HashSet<>(List.of(((String) claims.get("scp")).split(" ")));
        Map<String, String> query = call.query();
        for (String option : query.keySet()) {
            if (option.startsWith("$") && !Set.of("$select", "$top", "$skiptoken").contains(option)) {
                throw new GraphError(400, "BadRequest", "Query option '" + option + "' is not supported by the"
                        + " emulator on /me/memberOf; only $select, $top and $skiptoken are.");
            }
        }
        List<String> selected = new ArrayList<>();
        String select = query.get("$select");
        if (select != null) {
            for (String raw : select.split(",")) {
                String name = raw.trim();
                String property = DIRECTORY_OBJECT_PROPERTIES.stream().filter(p -> p.equalsIgnoreCase(name))
                        .findFirst().orElseThrow(() -> new GraphError(400, "BadRequest", "Could not find a property"
                                + " named '" + name + "' on type 'microsoft.graph.directoryObject'."));
                if (!selected.contains(property)) {
                    selected.add(property);
                }
            }
        }
        int top = pageSize(query.get("$top"));
        int offset = offset(query.get("$skiptoken"));
        List<DemoGroup> all = directory.membershipsOf(user);
        List<Object> value = new ArrayList<>();
        for (DemoGroup group : all.subList(Math.min(offset, all.size()), Math.min(offset + top, all.size()))) {
            boolean readable = granted.stream().anyMatch(group.kind() == DemoGroup.Kind.GROUP
                    ? READ_GROUP_SCOPES::contains : READ_ROLE_SCOPES::contains);
            Map<String, Object> properties = directoryObject(group);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("@odata.type", group.kind().odataType());
            for (String property : selected.isEmpty() ? DIRECTORY_OBJECT_PROPERTIES : selected) {
                if (properties.containsKey(property)) {
                    entry.put(property, readable || property.equals("id") ? properties.get(property) : null);
                }
            }
            value.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", settings.base() + PREFIX + "/$metadata#directoryObjects"
                + (selected.isEmpty() ? "" : "(" + String.join(",", selected) + ")"));
        if (offset + top < all.size()) {
            body.put("@odata.nextLink", settings.base() + PREFIX + "/me/memberOf?"
                    + (selected.isEmpty() ? "" : "$select=" + String.join(",", selected) + "&") + "$top=" + top
                    + "&$skiptoken=" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                            (SKIPTOKEN_PREFIX + (offset + top)).getBytes(StandardCharsets.US_ASCII)));
        }
        body.put("value", value);
        call.json(200, body);
    }

    /** A group's or directory role's properties as Graph names them; a role has no mail or group types. */
    private static Map<String, Object> directoryObject(DemoGroup group) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("id", group.objectId());
        properties.put("displayName", group.displayName());
        properties.put("description", group.description());
        if (group.kind() == DemoGroup.Kind.GROUP) {
            properties.put("mail", null);
            properties.put("mailEnabled", false);
            properties.put("securityEnabled", true);
            properties.put("groupTypes", List.of());
        } else {
            properties.put("roleTemplateId", UUID.nameUUIDFromBytes(group.displayName().getBytes(StandardCharsets.UTF_8))
                    .toString());
        }
        return properties;
    }

    private static int pageSize(String raw) {
        if (raw == null) {
            return DEFAULT_PAGE_SIZE;
        }
        int size = raw.matches("[0-9]{1,4}") ? Integer.parseInt(raw) : -1;
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new GraphError(400, "Request_BadRequest", "Invalid page size specified: '" + raw + "'. Must be"
                    + " between 1 and " + MAX_PAGE_SIZE + " inclusive.");
        }
        return size;
    }

    private static int offset(String skiptoken) {
        if (skiptoken == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(skiptoken), StandardCharsets.US_ASCII);
            if (decoded.startsWith(SKIPTOKEN_PREFIX) && decoded.substring(SKIPTOKEN_PREFIX.length()).matches("[0-9]{1,6}")) {
                return Integer.parseInt(decoded.substring(SKIPTOKEN_PREFIX.length()));
            }
        } catch (IllegalArgumentException notBase64) {
            // answered below
        }
        throw new GraphError(400, "Request_BadRequest", "The $skiptoken is not valid. Use the @odata.nextLink of the"
                + " previous page as it is.");
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
