package dev.entramcp.emulator;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One device-code sign-in (RFC 8628): the client polls with the device code while a person enters the user
 * code on another device. Polling faster than the interval earns {@code slow_down} and a 5-second longer
 * interval, as RFC 8628 section 3.5 says.
 */
final class DeviceAuthorization {

    /** No vowels (no words), no 0/O/1/I (no misreadings). */
    private static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    enum State { PENDING, APPROVED, DECLINED, REDEEMED }

    /** The answer to one poll. */
    enum Poll { PENDING, SLOW_DOWN, EXPIRED, DECLINED, APPROVED, ALREADY_REDEEMED }

    final String clientId;
    final ScopeRequest scopes;
    final String userCode;
    final Instant expiresAt;
    private State state = State.PENDING;
    private DemoUser user;
    private Instant lastPoll;
    private Duration interval;

    DeviceAuthorization(String clientId, ScopeRequest scopes, Instant expiresAt, Duration interval) {
        this.clientId = clientId;
        this.scopes = scopes;
        this.expiresAt = expiresAt;
        this.interval = interval;
        this.userCode = newUserCode();
    }

    static String normaliseUserCode(String typed) {
        return typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }

    synchronized Poll poll(Instant now) {
        if (state == State.REDEEMED) {
            return Poll.ALREADY_REDEEMED;
        }
        if (!now.isBefore(expiresAt)) {
            return Poll.EXPIRED;
        }
        Instant previous = lastPoll;
        lastPoll = now;
        if (previous != null && now.isBefore(previous.plus(interval))) {
            interval = interval.plusSeconds(5);
            return Poll.SLOW_DOWN;
        }
        switch (state) {
            case APPROVED:
                state = State.REDEEMED;
                return Poll.APPROVED;
            case DECLINED:
                return Poll.DECLINED;
            default:
                return Poll.PENDING;
        }
    }

    /** The person signed in and consented; false if the code is no longer pending. */
    synchronized boolean approve(DemoUser who, Instant now) {
        if (state != State.PENDING || !now.isBefore(expiresAt)) {
            return false;
        }
        state = State.APPROVED;
        user = who;
        return true;
    }

    synchronized boolean decline(Instant now) {
        if (state != State.PENDING || !now.isBefore(expiresAt)) {
            return false;
        }
        state = State.DECLINED;
        return true;
    }

    synchronized boolean isPending(Instant now) {
        return state == State.PENDING && now.isBefore(expiresAt);
    }

    synchronized DemoUser user() {
        return user;
    }

    private static String newUserCode() {
        StringBuilder code = new StringBuilder(9);
        for (int i = 0; i < 9; i++) {
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }
}
