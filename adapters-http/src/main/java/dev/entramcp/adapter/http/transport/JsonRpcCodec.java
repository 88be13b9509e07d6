package dev.entramcp.adapter.http.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads one JSON-RPC message from a request body, strictly, and writes JSON-RPC error bodies.
 *
 * <p>The SDK's {@code McpSchema.deserializeJsonRpcMessage} guesses the kind of message from the
 * keys present and checks nothing else; here the body is checked against JSON-RPC 2.0 first, so
 * that malformed JSON gets {@code -32700} and a well-formed but invalid message {@code -32600},
 * each with HTTP 400, as the MCP spec wants. Errors are written as plain JSON objects: the SDK's
 * {@code McpError} is an exception, and serialising it would put a stack trace on the wire.
 */
public final class JsonRpcCodec {

    public static final int PARSE_ERROR = McpSchema.ErrorCodes.PARSE_ERROR;
    public static final int INVALID_REQUEST = McpSchema.ErrorCodes.INVALID_REQUEST;
    public static final int INVALID_PARAMS = McpSchema.ErrorCodes.INVALID_PARAMS;
    public static final int INTERNAL_ERROR = McpSchema.ErrorCodes.INTERNAL_ERROR;
    /**
     * A server-defined code (JSON-RPC reserves -32000 to -32099 for them): the caller is
     * authenticated but the policy refuses the call, for a reason a new token cannot fix by
     * itself (a missing app role, or an application calling a user-only tool).
     */
    public static final int FORBIDDEN = -32003;
    /** A server-defined code for "too many requests"; the HTTP answer carries {@code Retry-After}. */
    public static final int RATE_LIMITED = -32029;

    private final ObjectMapper objectMapper;
    private final McpJsonMapper mcpJsonMapper;

    public JsonRpcCodec() {
        this.objectMapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.mcpJsonMapper = new JacksonMcpJsonMapper(new ObjectMapper());
    }

    /** The mapper the MCP SDK uses on this server. */
    public McpJsonMapper mcpJsonMapper() {
        return mcpJsonMapper;
    }

    /** The outcome of reading a body: a message, or the JSON-RPC error to answer with HTTP 400. */
    public sealed interface Inbound permits Valid, Invalid {
    }

    public record Valid(McpSchema.JSONRPCMessage message) implements Inbound {
        public Valid {
            Objects.requireNonNull(message, "'message' must not be null");
        }
    }

    public record Invalid(int code, String message) implements Inbound {
    }

    /** Reads and checks one JSON-RPC 2.0 message. Never throws for bad input. */
    public Inbound read(String body) {
        if (body == null || body.isBlank()) {
            return new Invalid(PARSE_ERROR, "Parse error: the request body is empty");
        }
        JsonNode root;
        try {
            root = objectMapper.readTree(body);
        } catch (JsonProcessingException e) {
            return new Invalid(PARSE_ERROR, "Parse error: the request body is not valid JSON");
        }
        if (root == null || root.isMissingNode()) {
            return new Invalid(PARSE_ERROR, "Parse error: the request body is empty");
        }
        if (root.isArray()) {
            return new Invalid(INVALID_REQUEST, "Invalid Request: JSON-RPC batches are not supported by MCP since 2025-06-18");
        }
        if (!(root instanceof ObjectNode message)) {
            return new Invalid(INVALID_REQUEST, "Invalid Request: a JSON-RPC message must be a JSON object");
        }
        JsonNode version = message.get("jsonrpc");
        if (version == null || !version.isTextual() || !"2.0".equals(version.textValue())) {
            return new Invalid(INVALID_REQUEST, "Invalid Request: 'jsonrpc' must be \"2.0\"");
        }
        JsonNode id = message.get("id");
        if (id != null && !isValidId(id)) {
            return new Invalid(INVALID_REQUEST, "Invalid Request: 'id' must be a string or an integer");
        }
        Map<String, Object> asMap = objectMapper.convertValue(message, MAP_TYPE);
        if (message.has("method")) {
            JsonNode method = message.get("method");
            if (!method.isTextual() || method.textValue().isEmpty()) {
                return new Invalid(INVALID_REQUEST, "Invalid Request: 'method' must be a non-empty string");
            }
            if (message.has("result") || message.has("error")) {
                return new Invalid(INVALID_REQUEST, "Invalid Request: a request or notification carries no 'result' or 'error'");
            }
            JsonNode params = message.get("params");
            if (params != null && !params.isObject()) {
                return new Invalid(INVALID_REQUEST, "Invalid Request: 'params' must be a JSON object");
            }
            return id == null
                    ? new Valid(mcpJsonMapper.convertValue(asMap, McpSchema.JSONRPCNotification.class))
                    : new Valid(mcpJsonMapper.convertValue(asMap, McpSchema.JSONRPCRequest.class));
        }
        boolean hasResult = message.has("result");
        boolean hasError = message.has("error");
        if (id == null || hasResult == hasError) {
            return new Invalid(INVALID_REQUEST,
                    "Invalid Request: a message needs a 'method', or an 'id' with exactly one of 'result' and 'error'");
        }
        if (hasError) {
            JsonNode error = message.get("error");
            if (!error.isObject() || !error.path("code").isIntegralNumber() || !error.path("message").isTextual()) {
                return new Invalid(INVALID_REQUEST, "Invalid Request: 'error' must be an object with an integer 'code' and a string 'message'");
            }
        }
        return new Valid(mcpJsonMapper.convertValue(asMap, McpSchema.JSONRPCResponse.class));
    }

    /** A JSON-RPC error answering the request {@code id}; {@code id} may be null when unknown (it is then left out). */
    public String error(Object id, int code, String message, Map<String, ?> data) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (data != null && !data.isEmpty()) {
            error.put("data", data);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        if (id != null) {
            body.put("id", id);
        }
        body.put("error", error);
        return write(body);
    }

    /** An error that cannot be tied to a request (bad JSON, bad headers): no {@code id}, as MCP 2025-11-25 allows. */
    public String error(int code, String message) {
        return error(null, code, message, null);
    }

    /** Serialises an SDK message (a response or notification) for the wire. */
    public String write(McpSchema.JSONRPCMessage message) {
        try {
            return mcpJsonMapper.writeValueAsString(message);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not serialise a JSON-RPC message", e);
        }
    }

    private String write(Map<String, Object> body) {
        try {
            return objectMapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Could not serialise a JSON-RPC error", e);
        }
    }

    private static boolean isValidId(JsonNode id) {
        return id.isTextual() || (id.isIntegralNumber() && id.canConvertToLong());
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP_TYPE =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };
}
