package dev.entramcp.adapter.http.transport;

import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonRpcCodecTest {

    private final JsonRpcCodec codec = new JsonRpcCodec();

    @Test
    void givenEachKindOfMessage_read_returnsTheMatchingSdkType() {
        assertThat(codec.read("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\"}"))
                .isInstanceOfSatisfying(JsonRpcCodec.Valid.class,
                        valid -> assertThat(valid.message()).isInstanceOf(McpSchema.JSONRPCRequest.class));
        assertThat(codec.read("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"))
                .isInstanceOfSatisfying(JsonRpcCodec.Valid.class,
                        valid -> assertThat(valid.message()).isInstanceOf(McpSchema.JSONRPCNotification.class));
        assertThat(codec.read("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}"))
                .isInstanceOfSatisfying(JsonRpcCodec.Valid.class,
                        valid -> assertThat(valid.message()).isInstanceOf(McpSchema.JSONRPCResponse.class));
    }

    @Test
    void givenBrokenInput_read_tellsParseErrorFromInvalidRequest() {
        for (String body : List.of("", "{", "{} trailing", "nul")) {
            assertThat(codec.read(body)).as(body).isEqualTo(new JsonRpcCodec.Invalid(-32700, body.isEmpty()
                    ? "Parse error: the request body is empty" : "Parse error: the request body is not valid JSON"));
        }
        for (String body : List.of("[]", "\"x\"", "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"method\":\"\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{\"code\":1,\"message\":\"m\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":\"x\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"result\":{}}")) {
            assertThat(codec.read(body)).as(body).isInstanceOfSatisfying(JsonRpcCodec.Invalid.class,
                    invalid -> assertThat(invalid.code()).isEqualTo(-32600));
        }
    }

    @Test
    void givenAnIdLessError_error_leavesTheIdOutAndCarriesNoStackTrace() {
        String body = codec.error(-32700, "Parse error: the request body is not valid JSON");

        assertThat(body).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,"
                + "\"message\":\"Parse error: the request body is not valid JSON\"}}");
    }

    @Test
    void givenAnIdAndData_error_writesThem() {
        String body = codec.error("req-1", JsonRpcCodec.FORBIDDEN, "Forbidden", Map.of("missingRoles", List.of("Mail.Sender")));

        assertThat(body).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"req-1\",\"error\":{\"code\":-32003,"
                + "\"message\":\"Forbidden\",\"data\":{\"missingRoles\":[\"Mail.Sender\"]}}}");
    }

    @Test
    void givenAcceptHeaders_accepts_honoursWildcardsAndRefusals() {
        assertThat(RequestGate.accepts(List.of("application/json, text/event-stream"), "text/event-stream")).isTrue();
        assertThat(RequestGate.accepts(List.of("*/*"), "application/json")).isTrue();
        assertThat(RequestGate.accepts(List.of("text/*;q=0.5"), "text/event-stream")).isTrue();
        assertThat(RequestGate.accepts(List.of("text/event-stream;q=0"), "text/event-stream")).isFalse();
        assertThat(RequestGate.accepts(List.of("application/json"), "text/event-stream")).isFalse();
        assertThat(RequestGate.accepts(List.of(), "application/json")).isFalse();
    }
}
