package dev.entramcp.emulator;

import java.time.Duration;
import java.util.Optional;

/** The settings a test or a demo may change while the emulator runs (see {@link EmulatorControl}). */
final class Switches {

    /** The next Graph calls fail this way. */
    record GraphFailure(int status, Duration retryAfter) {
    }

    private volatile Duration accessTokenLifetime;
    private volatile String autoApprove;
    private int graphFailuresLeft;
    private GraphFailure graphFailure;

    Switches(Duration accessTokenLifetime, String autoApprove) {
        this.accessTokenLifetime = accessTokenLifetime;
        this.autoApprove = autoApprove;
    }

    Duration accessTokenLifetime() {
        return accessTokenLifetime;
    }

    void accessTokenLifetime(Duration lifetime) {
        this.accessTokenLifetime = lifetime;
    }

    Optional<String> autoApprove() {
        return Optional.ofNullable(autoApprove);
    }

    void autoApprove(String username) {
        this.autoApprove = username;
    }

    synchronized void failGraph(int times, GraphFailure failure) {
        this.graphFailuresLeft = times;
        this.graphFailure = failure;
    }

    /** The failure the current Graph call must answer with, if any are left; each call uses one up. */
    synchronized Optional<GraphFailure> takeGraphFailure() {
        if (graphFailuresLeft <= 0) {
            return Optional.empty();
        }
        graphFailuresLeft--;
        return Optional.of(graphFailure);
    }
}
