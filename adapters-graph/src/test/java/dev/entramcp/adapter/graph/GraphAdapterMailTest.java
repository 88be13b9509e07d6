package dev.entramcp.adapter.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entramcp.adapter.graph.FakeGraph.Recorded;
import dev.entramcp.domain.model.EmailAddress;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.model.UserAssertion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /me/sendMail}: the JSON it posts, the token it carries, and that it is never cached. */
class GraphAdapterMailTest {

    private static final String INBOUND_TOKEN = "eyJhbGciOiJSUzI1NiJ9.inbound-for-the-mcp-server.sig";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GraphTestbed bed = new GraphTestbed();

    @AfterEach
    void stop() {
        bed.close();
    }

    private static MailMessage mail(String subject, String body, String... to) {
        return new MailMessage(java.util.Arrays.stream(to).map(EmailAddress::of).toList(), subject, body);
    }

    @Test
    void givenMessage_sendMail_postsGraphsPlainTextShapeKeptInSentItems() throws Exception {
        bed.adapter().sendMail(bed.bob, mail("Hello", "Hi Carol", "carol@contoso.example", "dave@fabrikam.example"));

        Recorded request = bed.graph.requestsTo("/me/sendMail").get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawQuery()).isNull();
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        JsonNode expected = JSON.readTree("""
                {"message": {"subject": "Hello",
                             "body": {"contentType": "Text", "content": "Hi Carol"},
                             "toRecipients": [{"emailAddress": {"address": "carol@contoso.example"}},
                                              {"emailAddress": {"address": "dave@fabrikam.example"}}]},
                 "saveToSentItems": true}
                """);
        assertThat(JSON.readTree(request.body())).isEqualTo(expected);
        assertThat(bed.graph.outboxOf(bed.bob.principal())).hasSize(1);
    }

    @Test
    void givenQuotesBackslashesAndLineBreaks_sendMail_escapesThemSoTheJsonKeepsItsShape() throws Exception {
        String subject = "Say \"hi\" \\ {\"saveToSentItems\": false}";
        String body = "line 1\nline 2\r\n\"},\"saveToSentItems\":false,\"x\":{\"y\":\"\u0000\u001f\u2028";

        bed.adapter().sendMail(bed.bob, mail(subject, body, "carol@contoso.example"));

        String raw = bed.graph.requestsTo("/me/sendMail").get(0).body();
        assertThat(raw).doesNotContain("\n").doesNotContain("\r").contains("\\\"hi\\\"").contains("line 1\\nline 2\\r\\n");
        JsonNode root = JSON.readTree(raw);
        assertThat(root.fieldNames()).toIterable().containsExactlyInAnyOrder("message", "saveToSentItems");
        assertThat(root.get("saveToSentItems").asBoolean()).isTrue();
        assertThat(root.at("/message/subject").asText()).isEqualTo(subject);
        assertThat(root.at("/message/body/content").asText()).isEqualTo(body);
    }

    @Test
    void givenCallerCarryingTheirInboundToken_sendMail_sendsOnlyTheMailSendTokenFromThePort() {
        bed.adapter().sendMail(bed.bob.withAssertion(UserAssertion.of(INBOUND_TOKEN)), mail("Hello", "Hi", "carol@contoso.example"));

        assertThat(bed.tokens.requests()).singleElement()
                .satisfies(request -> assertThat(request.scopes()).containsExactly("https://graph.microsoft.com/Mail.Send"));
        Recorded request = bed.graph.requests().get(0);
        assertThat(request.headers().get("authorization")).containsExactly("Bearer " + bed.tokens.issued().get(0));
        assertThat(request.body()).doesNotContain(INBOUND_TOKEN);
        assertThat(request.headers().values()).allSatisfy(values -> assertThat(values).noneMatch(v -> v.contains(INBOUND_TOKEN)));
    }

    @Test
    void givenTheSameMailTwice_sendMail_sendsItTwiceBecauseMailIsNeverCached() {
        GraphAdapter graph = bed.adapter();
        MailMessage message = mail("Reminder", "Same text", "carol@contoso.example");

        graph.sendMail(bed.bob, message);
        graph.sendMail(bed.bob, message);

        assertThat(bed.graph.requestsTo("/me/sendMail")).hasSize(2);
        assertThat(bed.graph.outboxOf(bed.bob.principal())).isEqualTo(List.of(message, message));
    }
}
