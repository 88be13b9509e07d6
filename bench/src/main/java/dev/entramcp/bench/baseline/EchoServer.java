package dev.entramcp.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The S1 baseline: the least a JVM must do to be a line-delimited JSON-RPC "MCP server" with
 * Jackson. It reads one message per line on stdin, answers {@code initialize}, {@code tools/list}
 * and {@code tools/call} (echoing the arguments), ignores notifications and answers anything else
 * with {@code -32601 Method not found}.
 *
 * <p>No MCP SDK, no Reactor, no logging framework, no TLS, no token cache, no schema validation:
 * what app-local costs above this floor is the price of everything it does for real. It is a
 * yardstick, not a server; it is never shipped.
 */
public final class EchoServer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EchoServer() {
    }

    public static void main(String[] args) throws IOException {
        OutputStream out = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode request = JSON.readTree(line);
            if (!request.has("id")) {
                continue; // a notification: nothing to answer
            }
            ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
            response.set("id", request.get("id"));
            String method = request.path("method").asText();
            switch (method) {
                case "initialize" -> response.set("result", initializeResult(request.path("params")));
                case "tools/list" -> response.set("result", toolsListResult());
                case "tools/call" -> response.set("result", toolsCallResult(request.path("params")));
                default -> response.putObject("error").put("code", -32601).put("message", "Method not found: " + method);
            }
            out.write(JSON.writeValueAsBytes(response));
            out.write('\n');
            out.flush();
        }
    }

    private static ObjectNode initializeResult(JsonNode params) {
        ObjectNode result = JSON.createObjectNode();
        result.put("protocolVersion", params.path("protocolVersion").asText("2025-06-18"));
        result.putObject("capabilities").putObject("tools").put("listChanged", true);
        result.putObject("serverInfo").put("name", "bench-baseline-echo").put("version", "1");
        return result;
    }

    private static ObjectNode toolsListResult() {
        ObjectNode result = JSON.createObjectNode();
        ArrayNode tools = result.putArray("tools");
        for (String name : new String[] {"whoami", "get_user_profile"}) {
            ObjectNode tool = tools.addObject().put("name", name).put("description", "baseline tool " + name);
            ObjectNode schema = tool.putObject("inputSchema").put("type", "object").put("additionalProperties", false);
            schema.putObject("properties");
        }
        return result;
    }

    private static ObjectNode toolsCallResult(JsonNode params) {
        ObjectNode result = JSON.createObjectNode();
        result.putArray("content").addObject().put("type", "text")
                .put("text", params.path("name").asText() + " " + params.path("arguments").toString());
        result.put("isError", false);
        return result;
    }
}
