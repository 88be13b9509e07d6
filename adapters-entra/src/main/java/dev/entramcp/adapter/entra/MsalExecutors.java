package dev.entramcp.adapter.entra;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executors handed to msal4j. Without one, msal4j runs every request on the common fork-join pool,
 * which has a single thread on a 2-core machine: a device-code flow polling there (it sleeps
 * between polls) would hold up every other token request of the process.
 */
final class MsalExecutors {

    private MsalExecutors() {
    }

    /** Daemon threads for flows that run in the background (device code, interactive sign-in). */
    static ExecutorService background(String name) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newCachedThreadPool(factory);
    }

    /**
     * Runs each msal4j request on the calling thread: the server's request threads already block on
     * the result, so a hop to another pool would only add a queue and a bound on concurrency.
     */
    static ExecutorService callerRuns() {
        return new CallerRunsExecutorService();
    }

    private static final class CallerRunsExecutorService extends AbstractExecutorService {
        private volatile boolean shutdown;

        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return shutdown;
        }
    }
}
