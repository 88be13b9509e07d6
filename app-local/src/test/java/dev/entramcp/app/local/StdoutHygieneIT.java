package dev.entramcp.app.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo as a user starts it from an MCP client, checked at the byte level. */
class StdoutHygieneIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private Process start(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(LocalServerProcess.javaExecutable(), "-Duser.home=" + home,
                "-jar", LocalServerProcess.JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(name -> name.startsWith("AZURE_") || name.startsWith("ENTRA_MCP_"));
        return builder.start();
    }

    @Test
    void givenDemo_aWholeSession_writesNothingButJsonRpcToStdout() throws Exception {
        Process process = start("--demo");
        List<String> lines;
        try (RawStdio raw = new RawStdio(process)) {
            raw.initialize();
            JsonNode tools = raw.request(2, "tools/list", "{}");
            JsonNode profile = raw.request(3, "tools/call", "{\"name\":\"get_user_profile\",\"arguments\":{}}");
            raw.send("this is not json");
            raw.send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\",\"arguments\":{}}}");
            JsonNode whoami = raw.responseTo(4);
            lines = raw.finish();

            assertThat(tools.path("result").path("tools")).extracting(tool -> tool.path("name").asText())
                    .contains("whoami", "get_user_profile");
            assertThat(profile.path("result").path("isError").asBoolean()).isFalse();
            assertThat(whoami.path("result").path("content").get(0).path("text").asText()).contains("alice@");
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exits when stdin closes").isTrue();
            assertThat(process.exitValue()).isZero();
        }
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(JSON.readTree(line).path("jsonrpc").asText())
                .as("stdout line is JSON-RPC: %s", line).isEqualTo("2.0"));
        assertThat(lines).anySatisfy(line -> assertThat(JSON.readTree(line).path("error").path("code").asInt()).isEqualTo(-32700));
    }

    @Test
    void givenNoConfigurationAndNoDemo_theServer_failsFastSayingWhatToSet() throws Exception {
        Process process = new ProcessBuilder(LocalServerProcess.javaExecutable(), "-jar", LocalServerProcess.JAR.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();

        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr).contains("AZURE_TENANT_ID").contains("AZURE_CLIENT_ID").contains("--demo");
    }
}
