package dev.entramcp.app.local;

import dev.entramcp.adapter.graph.GraphAdapter;
import dev.entramcp.adapter.graph.GraphConfig;
import dev.entramcp.adapter.graph.GraphHttpClients;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LazyGraphTest {

    private static final ToolFailure NOT_SIGNED_IN = new ToolFailure.SignInRequired("sign in first");

    @Test
    void givenNoGraphCall_theAdapterIsNotBuilt() {
        AtomicInteger built = new AtomicInteger();

        LazyGraph graph = new LazyGraph(() -> {
            built.incrementAndGet();
            return adapter();
        });

        assertThat(graph.isBuilt()).isFalse();
        assertThat(built).hasValue(0);
    }

    @Test
    void givenCallsRacing_theAdapterIsBuiltOnce_andEveryCallReachesIt() throws Exception {
        AtomicInteger built = new AtomicInteger();
        LazyGraph graph = new LazyGraph(() -> {
            built.incrementAndGet();
            return adapter();
        });
        CallerIdentity caller = Callers.aCaller().build();

        List<CompletableFuture<ToolFailure>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> failureOf(() -> graph.loadUserProfile(caller))));
        }
        List<ToolFailure> failures = new ArrayList<>();
        for (CompletableFuture<ToolFailure> call : calls) {
            failures.add(call.get(10, TimeUnit.SECONDS));
        }

        assertThat(built).hasValue(1);
        assertThat(failures).containsOnly(NOT_SIGNED_IN); // the adapter's token port answered every call
    }

    /** An adapter whose token port refuses: a call gets as far as asking for a Graph token. */
    private static GraphAdapter adapter() {
        return new GraphAdapter(GraphConfig.of(URI.create("https://graph.invalid/v1.0"), GraphConfig.microsoftGraph().scopePrefix()),
                GraphHttpClients.standard(), (caller, scopes) -> {
                    throw new ToolFailureException(NOT_SIGNED_IN);
                });
    }

    private static ToolFailure failureOf(Runnable call) {
        try {
            call.run();
        } catch (ToolFailureException failure) {
            return failure.failure();
        }
        throw new AssertionError("expected a ToolFailureException");
    }
}
