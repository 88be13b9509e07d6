package dev.entramcp.adapter.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entramcp.domain.model.DirectoryGroup;
import dev.entramcp.domain.model.EmailAddress;
import dev.entramcp.domain.model.GroupPage;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.model.UserProfile;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The JSON the adapter writes and reads. Bodies are built as a Jackson tree, never by string
 * concatenation, so a subject or body holding quotes, backslashes or line breaks cannot change
 * the shape of the request. Only the few fields the adapter needs are read from answers.
 */
final class GraphJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Graph error codes are identifiers; anything else is not repeated to the user. */
    private static final Pattern SAFE_CODE = Pattern.compile("[A-Za-z0-9_.\\-]{1,80}");

    private GraphJson() {
    }

    /** The body of {@code POST /me/sendMail}: a plain-text message, kept in Sent Items. */
    static byte[] sendMailRequest(MailMessage message) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode mail = root.putObject("message");
        mail.put("subject", message.subject());
        ObjectNode body = mail.putObject("body");
        body.put("contentType", "Text");
        body.put("content", message.body());
        ArrayNode to = mail.putArray("toRecipients");
        for (EmailAddress address : message.to()) {
            to.addObject().putObject("emailAddress").put("address", address.value());
        }
        root.put("saveToSentItems", true);
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree of strings could not be written", e);
        }
    }

    /**
     * A {@code /me} answer as a domain profile.
     *
     * @throws IllegalArgumentException when the answer is not a JSON object with a non-blank {@code id}
     */
    static UserProfile profile(byte[] json) {
        JsonNode root = tree(json).filter(JsonNode::isObject)
                .orElseThrow(() -> new IllegalArgumentException("the profile is not a JSON object"));
        String id = text(root, "id").filter(value -> !value.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("the profile has no id"));
        return new UserProfile(id, text(root, "displayName").orElse(""), text(root, "userPrincipalName"),
                text(root, "mail"), text(root, "jobTitle"), text(root, "officeLocation"));
    }

    // snippet:graph-group-page-json
    /** The only directory objects of a {@code memberOf} page that are groups; roles and units are skipped. */
    static final String GROUP_TYPE = "#microsoft.graph.group";

    /**
     * A {@code /me/memberOf} page as the domain's groups: the entries of {@code value} whose {@code @odata.type}
     * is a group, read up to {@code top} entries whatever the answer holds. There are more when Graph gave an
     * {@code @odata.nextLink} (which is never followed) or sent more entries than asked for.
     *
     * @throws IllegalArgumentException when the answer is not an object with a {@code value} array, or a group
     *                                  has no {@code id}
     */
    static GroupPage groupPage(byte[] json, int top) {
        JsonNode root = tree(json).filter(JsonNode::isObject)
                .orElseThrow(() -> new IllegalArgumentException("the answer is not a JSON object"));
        JsonNode value = root.get("value");
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException("the answer has no 'value' array");
        }
        List<DirectoryGroup> groups = new ArrayList<>();
        for (int i = 0; i < Math.min(top, value.size()); i++) {
            JsonNode entry = value.get(i);
            if (!entry.isObject() || !GROUP_TYPE.equals(entry.path("@odata.type").asText(null))) {
                continue;
            }
            String id = text(entry, "id").filter(text -> !text.isBlank())
                    .orElseThrow(() -> new IllegalArgumentException("a group has no id"));
            groups.add(new DirectoryGroup(id, text(entry, "displayName").orElse(""), text(entry, "description")));
        }
        boolean hasMore = root.path("@odata.nextLink").isTextual() || value.size() > top;
        return new GroupPage(groups, hasMore);
    }
    // end-snippet

    /** Graph's {@code error.code} from an error answer, when it is a plain identifier. */
    static Optional<String> errorCode(byte[] json) {
        return tree(json).map(root -> root.path("error").path("code"))
                .filter(JsonNode::isTextual).map(JsonNode::asText)
                .filter(code -> SAFE_CODE.matcher(code).matches());
    }

    private static Optional<JsonNode> tree(byte[] json) {
        if (json.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(MAPPER.readTree(json));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node != null && node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }
}
