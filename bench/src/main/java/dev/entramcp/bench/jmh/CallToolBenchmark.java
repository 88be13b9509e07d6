package dev.entramcp.bench.jmh;

import dev.entramcp.domain.model.AuditEvent;
import dev.entramcp.domain.model.CallToolOutcome;
import dev.entramcp.domain.model.CorrelationId;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.model.ToolDescriptor;
import dev.entramcp.domain.port.in.CallToolCommand;
import dev.entramcp.domain.port.in.ListToolsQuery;
import dev.entramcp.domain.service.CallToolService;
import dev.entramcp.domain.service.ListToolsService;
import dev.entramcp.domain.tool.GetUserProfileTool;
import dev.entramcp.domain.tool.SendMailTool;
import dev.entramcp.domain.tool.ToolCatalog;
import dev.entramcp.domain.tool.WhoAmITool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * J1, one {@code tools/call} through the use case without transport: {@link CallToolService}
 * (find the tool, evaluate the policy, audit, invoke, map the outcome) with the real tools and
 * lambda ports. Graph is a lambda returning a profile and the audit port keeps the last event in a
 * field, so what is timed is the domain's own work. The {@code ...AuditLine} variant
 * also formats the audit event as the JSON line the apps write (without the I/O).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CallToolBenchmark {

    private CallToolService callTool;
    private CallToolService callToolWithAuditLine;
    private ListToolsService listTools;
    private CallToolCommand whoamiAsAlice;
    private CallToolCommand profileAsAlice;
    private CallToolCommand sendMailAsAlice;
    private ListToolsQuery listAsBob;

    /** Where the lambda ports leave their work, so the JIT cannot drop it as dead code. */
    private AuditEvent lastEvent;
    private String lastAuditLine;
    private MailMessage lastMail;

    @Setup
    public void setUp() {
        ToolCatalog tools = ToolCatalog.of(
                new WhoAmITool(),
                new GetUserProfileTool(BenchCallers::profileOf),
                new SendMailTool((caller, message) -> lastMail = message));
        Clock clock = Clock.systemUTC();
        callTool = new CallToolService(tools, event -> lastEvent = event, clock);
        callToolWithAuditLine = new CallToolService(tools, event -> lastAuditLine = event.toJsonLine(), clock);
        listTools = new ListToolsService(tools, event -> lastEvent = event, clock);

        CorrelationId correlationId = CorrelationId.of("bench-0001");
        whoamiAsAlice = new CallToolCommand(BenchCallers.alice(), "whoami", Map.of(), correlationId);
        profileAsAlice = new CallToolCommand(BenchCallers.alice(), "get_user_profile", Map.of(), correlationId);
        sendMailAsAlice = new CallToolCommand(BenchCallers.alice(), "send_mail",
                Map.of("to", List.of("carol@contoso.example"), "subject", "Hi", "body", "Hello"), correlationId);
        listAsBob = new ListToolsQuery(BenchCallers.bob(), correlationId);

        expect(callTool.callTool(whoamiAsAlice) instanceof CallToolOutcome.Completed, "whoami completes for alice");
        expect(callTool.callTool(profileAsAlice) instanceof CallToolOutcome.Completed, "get_user_profile completes for alice");
        expect(callTool.callTool(sendMailAsAlice) instanceof CallToolOutcome.Refused, "send_mail is refused to alice");
        expect(listTools.listTools(listAsBob).size() == 3, "bob sees the three tools");
        expect(lastEvent != null && lastMail == null, "the audit port records and no mail is sent");
        callToolWithAuditLine.callTool(whoamiAsAlice);
        expect(lastAuditLine != null && lastAuditLine.contains("\"whoami\""), "the audit line names the tool");
    }

    /** The cheapest allowed call: {@code whoami} builds its result from the caller alone. */
    @Benchmark
    public CallToolOutcome whoami() {
        return callTool.callTool(whoamiAsAlice);
    }

    /** {@code whoami}, with the audit event formatted as the JSON line the apps log. */
    @Benchmark
    public CallToolOutcome whoamiAuditLine() {
        return callToolWithAuditLine.callTool(whoamiAsAlice);
    }

    /** {@code get_user_profile}, Graph being a lambda. */
    @Benchmark
    public CallToolOutcome userProfile() {
        return callTool.callTool(profileAsAlice);
    }

    /** {@code send_mail} refused by the policy (alice lacks Mail.Sender): the denial path. */
    @Benchmark
    public CallToolOutcome sendMailRefused() {
        return callTool.callTool(sendMailAsAlice);
    }

    /** {@code tools/list} for bob: three policy evaluations and one audit event. */
    @Benchmark
    public List<ToolDescriptor> listToolsForBob() {
        return listTools.listTools(listAsBob);
    }

    private static void expect(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("Benchmark set-up is wrong: expected " + what);
        }
    }
}
