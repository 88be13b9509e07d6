package dev.entramcp.emulator;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line: one JSON line on stdout for scripts, a readable summary and the warning on stderr. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    @SuppressWarnings("unchecked")
    void givenAutoApproval_start_printsOneJsonLineWithEverythingAScriptNeeds() throws Exception {
        int status = Main.run(new String[] {"--auto-approve", "bob"}, print(out), print(err), false);

        assertThat(status).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        Map<String, Object> json = JSONObjectUtils.parse(lines.get(0));
        assertThat(json).containsKeys("baseUrl", "tenantId", "authority", "graphBaseUrl", "trustPem", "apps", "users");
        assertThat((String) json.get("authority")).isEqualTo(json.get("baseUrl") + "/" + json.get("tenantId"));
        assertThat((String) json.get("graphBaseUrl")).endsWith("/v1.0");
        Map<String, Object> apps = (Map<String, Object>) json.get("apps");
        Map<String, Object> remote = (Map<String, Object>) apps.get("remote");
        assertThat(remote).containsKeys("clientId", "clientSecret", "appIdUri");
        assertThat(remote.get("appIdUri")).isEqualTo("api://" + remote.get("clientId"));
        assertThat((Map<String, Object>) apps.get("local")).containsKey("clientId").doesNotContainKey("clientSecret");
        assertThat((Map<String, Object>) apps.get("demo")).containsKey("clientId");
        assertThat((List<Object>) json.get("users")).hasSize(2).anySatisfy(u -> assertThat((Map<String, Object>) u)
                .containsEntry("username", "bob").containsEntry("roles", List.of("Mail.Sender")).containsKey("oid"));
        String summary = err.toString(StandardCharsets.UTF_8);
        assertThat(summary).contains("NOT AN IDENTITY PROVIDER", "started in", "auto-approve   bob")
                .doesNotContain((String) remote.get("clientSecret"));
    }

    @Test
    void givenHelp_run_printsUsageAndStartsNothing() throws Exception {
        int status = Main.run(new String[] {"--help"}, print(out), print(err), false);

        assertThat(status).isZero();
        assertThat(out.size()).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--port N", "--auto-approve USER");
    }

    @Test
    void givenAnUnknownOption_run_exitsWithUsageError() throws Exception {
        assertThat(Main.run(new String[] {"--prot", "9443"}, print(out), print(err), false)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--prot'");
    }

    @Test
    void givenAnUnknownUserToApprove_run_exitsWithAnError() throws Exception {
        assertThat(Main.run(new String[] {"--auto-approve", "mallory"}, print(out), print(err), false)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("mallory");
    }

    @Test
    void givenAPortInUse_run_exitsWithAnError() throws Exception {
        try (EntraEmulator busy = EntraEmulator.start()) {
            int status = Main.run(new String[] {"--port", Integer.toString(busy.port())}, print(out), print(err), false);

            assertThat(status).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot listen on 127.0.0.1:" + busy.port());
        }
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
