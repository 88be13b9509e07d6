package dev.entramcp.bench.jmh;

import dev.entramcp.domain.model.AccessRequirement;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.Decision;
import dev.entramcp.domain.tool.SendMailTool;
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

import java.util.concurrent.TimeUnit;

/**
 * J1, policy evaluation: {@link AccessRequirement#evaluate} for {@code send_mail}'s real
 * requirement (scope {@code Mail.Send} and app role {@code Mail.Sender}), the strictest in the
 * catalog. One evaluation runs per listed tool on {@code tools/list} and once per {@code tools/call}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class PolicyEvaluationBenchmark {

    private AccessRequirement sendMail;
    private CallerIdentity bob;
    private CallerIdentity alice;

    @Setup
    public void setUp() {
        sendMail = new SendMailTool((caller, message) -> { }).descriptor().requirement();
        bob = BenchCallers.bob();
        alice = BenchCallers.alice();
        if (!sendMail.evaluate(bob).isAllowed() || sendMail.evaluate(alice).isAllowed()) {
            throw new IllegalStateException("the benchmark's callers no longer exercise both outcomes of the policy");
        }
    }

    /** Bob holds the scope and the role: {@link Decision#ALLOWED}. */
    @Benchmark
    public Decision allowed() {
        return sendMail.evaluate(bob);
    }

    /** Alice lacks the role: a {@link Decision.Denied} naming it (the refusal path builds sets). */
    @Benchmark
    public Decision deniedMissingRole() {
        return sendMail.evaluate(alice);
    }
}
