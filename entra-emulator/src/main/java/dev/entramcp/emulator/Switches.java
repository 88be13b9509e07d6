package dev.entramcp.emulator;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The settings a test or a demo may change while the emulator runs (see {@link EmulatorControl}). */
final class Switches {

    /** The next Graph calls fail this way. */
    record GraphFailure(int status, Duration retryAfter) {
    }

    private volatile Duration accessTokenLifetime;
    private volatile String autoApprove;
    /** User object id → the Conditional Access policy id that demands MFA of them. */
    private final Map<String, String> mfaPolicies = new ConcurrentHashMap<>();
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

    void requireMfa(String userObjectId, String policyId) {
        mfaPolicies.put(userObjectId, policyId);
    }

    boolean clearMfaRequirement(String userObjectId) {
        return mfaPolicies.remove(userObjectId) != null;
    }

    /** The policy demanding MFA of this user, if one does. */
    Optional<String> mfaPolicy(String userObjectId) {
        return Optional.ofNullable(mfaPolicies.get(userObjectId));
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
