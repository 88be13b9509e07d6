package dev.entramcp.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the emulator observed, for tests to read: counters, the mail outbox and the requests Graph received. */
final class Records {

    /** Enough for any test; a long demo run keeps the newest entries only. */
    private static final int MAX_ENTRIES = 10_000;

    private final Map<String, Integer> signIns = new HashMap<>();
    private final Map<Grant, Integer> tokenRequests = new EnumMap<>(Grant.class);
    private final Map<Grant, Integer> tokensIssued = new EnumMap<>(Grant.class);
    private final Deque<SentMail> outbox = new ArrayDeque<>();
    private final Deque<GraphRequest> graphRequests = new ArrayDeque<>();

    synchronized void signIn(String username) {
        signIns.merge(username, 1, Integer::sum);
    }

    synchronized void tokenRequest(Grant grant) {
        tokenRequests.merge(grant, 1, Integer::sum);
    }

    synchronized void tokenIssued(Grant grant) {
        tokensIssued.merge(grant, 1, Integer::sum);
    }

    synchronized void mail(SentMail mail) {
        add(outbox, mail);
    }

    synchronized void graphRequest(GraphRequest request) {
        add(graphRequests, request);
    }

    synchronized Counters counters() {
        return new Counters(signIns, tokenRequests, tokensIssued);
    }

    synchronized List<SentMail> outbox() {
        return List.copyOf(new ArrayList<>(outbox));
    }

    synchronized List<GraphRequest> graphRequests() {
        return List.copyOf(new ArrayList<>(graphRequests));
    }

    synchronized void clear() {
        signIns.clear();
        tokenRequests.clear();
        tokensIssued.clear();
        outbox.clear();
        graphRequests.clear();
    }

    private static <T> void add(Deque<T> deque, T item) {
        if (deque.size() >= MAX_ENTRIES) {
            deque.removeFirst();
        }
        deque.addLast(item);
    }
}
