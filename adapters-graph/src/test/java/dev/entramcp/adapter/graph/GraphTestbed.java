package dev.entramcp.adapter.graph;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.fixtures.FixedClock;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.DirectoryGroup;
import dev.entramcp.domain.model.UserProfile;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a Graph adapter test needs: a fake Graph on loopback with Alice and Bob, a token
 * port issuing its tokens, a clock that moves on demand, a sleeper that records instead of
 * waiting, and a jitter that returns the ceiling itself, so back-off delays are predictable.
 */
final class GraphTestbed implements AutoCloseable {

    static final String PREFIX = GraphConfig.MICROSOFT_GRAPH_SCOPE_PREFIX;
    static final HttpClient HTTP = GraphHttpClients.standard();

    final CallerIdentity alice = Callers.alice();
    final CallerIdentity bob = Callers.bob();
    final UserProfile aliceProfile = new UserProfile(Callers.ALICE_OID, "Alice", Optional.of("alice@contoso.example"),
            Optional.of("alice@contoso.example"), Optional.of("Engineer"), Optional.of("Building 1"));
    final UserProfile bobProfile = new UserProfile(Callers.BOB_OID, "Bob", Optional.of("bob@contoso.example"),
            Optional.empty(), Optional.empty(), Optional.empty());
    /** Alice's groups, as the adapter must read them: her directory role between them is skipped. */
    final List<DirectoryGroup> aliceGroups = List.of(
            DirectoryGroup.of("0b1d2c3e-0000-0000-0000-00000000a001", "All Staff", "Everyone in Contoso"),
            DirectoryGroup.of("0b1d2c3e-0000-0000-0000-00000000a002", "Engineering", null));
    final List<DirectoryGroup> bobGroups = List.of(
            DirectoryGroup.of("0b1d2c3e-0000-0000-0000-00000000a001", "All Staff", "Everyone in Contoso"),
            DirectoryGroup.of("0b1d2c3e-0000-0000-0000-00000000a003", "Sales", "Sells things"));

    final FakeGraph graph;
    final FakeTokens tokens;
    final MutableClock clock = new MutableClock(FixedClock.NOW);
    final RecordingSleeper sleeper = new RecordingSleeper();
    Jitter jitter = ceiling -> ceiling;

    GraphTestbed() {
        this(FakeGraph.start());
    }

    GraphTestbed(FakeGraph graph) {
        this.graph = graph;
        graph.withUser(alice.principal(), Map.of("id", Callers.ALICE_OID, "displayName", "Alice",
                "userPrincipalName", "alice@contoso.example", "mail", "alice@contoso.example",
                "jobTitle", "Engineer", "officeLocation", "Building 1", "businessPhones", java.util.List.of("+1 555 0100")));
        Map<String, Object> bobFields = new HashMap<>();
        bobFields.put("id", Callers.BOB_OID);
        bobFields.put("displayName", "Bob");
        bobFields.put("userPrincipalName", "bob@contoso.example");
        bobFields.put("mail", null);
        bobFields.put("jobTitle", null);
        bobFields.put("officeLocation", null);
        graph.withUser(bob.principal(), bobFields);
        graph.withMemberships(alice.principal(), List.of(
                groupObject(aliceGroups.get(0)),
                Map.of("@odata.type", "#microsoft.graph.directoryRole", "id", "0b1d2c3e-0000-0000-0000-00000000b001",
                        "displayName", "Global Reader", "description", "Reads everything"),
                groupObject(aliceGroups.get(1))));
        graph.withMemberships(bob.principal(), bobGroups.stream().map(GraphTestbed::groupObject).toList());
        this.tokens = new FakeTokens(graph, PREFIX);
    }

    /** A group as Graph sends it, with a field the adapter does not select and a null description where absent. */
    static Map<String, Object> groupObject(DirectoryGroup group) {
        Map<String, Object> object = new java.util.LinkedHashMap<>();
        object.put("@odata.type", "#microsoft.graph.group");
        object.put("id", group.id());
        object.put("displayName", group.displayName());
        object.put("description", group.description().orElse(null));
        object.put("securityEnabled", true);
        return object;
    }

    /** Fake Graph's address, 5 s per request, 4 attempts backing off 100 ms → 1 s, 20 s budget, 60 s cache. */
    GraphConfig config() {
        return GraphConfig.of(graph.baseUrl(), PREFIX)
                .withRequestTimeout(Duration.ofSeconds(5))
                .withRetry(new GraphRetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(20)));
    }

    GraphAdapter adapter() {
        return adapter(config());
    }

    GraphAdapter adapter(GraphConfig config) {
        return new GraphAdapter(config, HTTP, tokens, clock, sleeper, jitter);
    }

    @Override
    public void close() {
        graph.close();
    }
}
