package dev.entramcp.adapter.stdio;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * What JSON-RPC 2.0 (as MCP uses it) requires of a message, checked before the SDK sees it, so
 * that a bad message gets a precise {@code -32600} instead of being dropped or crashing the reader.
 */
final class JsonRpcShape {

    private JsonRpcShape() {
    }

    /** Why this JSON is not an acceptable JSON-RPC message, or empty if it is. */
    static Optional<String> problem(JsonNode node) {
        if (node.isArray()) {
            return Optional.of("batches are not supported by MCP; send one message per line");
        }
        if (!node.isObject()) {
            return Optional.of("a message must be a JSON object");
        }
        if (!"2.0".equals(node.path("jsonrpc").asText(null))) {
            return Optional.of("\"jsonrpc\" must be \"2.0\"");
        }
        JsonNode id = node.get("id");
        if (id != null && !(id.isTextual() || id.isIntegralNumber())) {
            return Optional.of("\"id\" must be a string or an integer");
        }
        JsonNode method = node.get("method");
        if (method != null) {
            if (!method.isTextual() || method.asText().isEmpty()) {
                return Optional.of("\"method\" must be a non-empty string");
            }
            JsonNode params = node.get("params");
            if (params != null && !params.isObject()) {
                return Optional.of("\"params\" must be an object");
            }
            return Optional.empty();
        }
        if (id == null) {
            return Optional.of("a message needs a \"method\", or an \"id\" with a \"result\" or an \"error\"");
        }
        if (node.has("result") == node.has("error")) {
            return Optional.of("a response must have exactly one of \"result\" and \"error\"");
        }
        return Optional.empty();
    }

    /** The id to answer with: the message's own if it is valid, otherwise null. */
    static Object usableId(JsonNode node) {
        JsonNode id = node.isObject() ? node.get("id") : null;
        if (id != null && id.isTextual()) {
            return id.asText();
        }
        if (id != null && id.isIntegralNumber()) {
            return id.asLong();
        }
        return null;
    }
}
