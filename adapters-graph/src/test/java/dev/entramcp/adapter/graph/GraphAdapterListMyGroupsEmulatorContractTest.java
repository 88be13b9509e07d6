package dev.entramcp.adapter.graph;

import dev.entramcp.domain.contract.ListMyGroupsPortContract;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.DirectoryGroup;
import dev.entramcp.domain.model.GroupPage;
import dev.entramcp.domain.model.GroupQuery;
import dev.entramcp.domain.port.out.ListMyGroupsPort;
import dev.entramcp.emulator.DemoGroup;
import dev.entramcp.emulator.DemoUser;
import dev.entramcp.emulator.EntraEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Graph adapter, against the Entra emulator's Graph over real TLS, honours the
 * {@link ListMyGroupsPortContract}. Its tokens are minted by the emulator as Entra would issue them
 * to the local server; an arranged failure changes what the emulator mints or answers.
 */
class GraphAdapterListMyGroupsEmulatorContractTest extends ListMyGroupsPortContract {

    private static final String PREFIX = GraphConfig.MICROSOFT_GRAPH_SCOPE_PREFIX;
    private static EntraEmulator emulator;

    private final Set<String> expiredFor = new HashSet<>();
    private final Set<String> onlyMailSendFor = new HashSet<>();
    private final Set<String> onlyUserReadFor = new HashSet<>();

    @BeforeAll
    static void start() {
        emulator = EntraEmulator.start();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void healthyGraph() {
        emulator.control().failGraph(0, 429, null);
    }

    /** Graph tokens for the emulator user behind {@code caller}, for the local server's client id. */
    private AccessToken token(CallerIdentity caller, Set<String> scopes) {
        String user = emulator.user(caller.principal().objectId()).username();
        String client = emulator.apps().local().clientId();
        String[] granted = onlyMailSendFor.contains(user) ? new String[] {PREFIX + "Mail.Send"}
                : onlyUserReadFor.contains(user) ? new String[] {PREFIX + "User.Read"}
                : scopes.toArray(String[]::new);
        if (expiredFor.contains(user)) {
            Map<String, Object> claims = emulator.control().accessTokenClaims(user, client, granted);
            long anHourAgo = Instant.now().minus(Duration.ofHours(1)).getEpochSecond();
            claims.put("iat", anHourAgo - 600);
            claims.put("nbf", anHourAgo - 600);
            claims.put("exp", anHourAgo);
            return AccessToken.of(emulator.control().signJwt(claims), Instant.now().plusSeconds(60));
        }
        return AccessToken.of(emulator.control().issueAccessToken(user, client, granted), Instant.now().plusSeconds(3600));
    }

    private static KnownMember member(String username) {
        DemoUser user = emulator.user(username);
        CallerIdentity caller = Callers.aCaller().inTenant(emulator.tenantId()).withObjectId(user.objectId())
                .named(user.userPrincipalName(), user.displayName()).withScopes("GroupMember.Read.All").build();
        List<DirectoryGroup> groups = emulator.memberships(username).stream()
                .filter(group -> group.kind() == DemoGroup.Kind.GROUP)
                .map(group -> new DirectoryGroup(group.objectId(), group.displayName(), Optional.ofNullable(group.description())))
                .toList();
        return new KnownMember(caller, groups);
    }

    @Override
    protected ListMyGroupsPort port() {
        GraphConfig config = GraphConfig.of(emulator.graphBaseUrl(), PREFIX)
                .withRetry(new GraphRetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(20)));
        return new GraphAdapter(config, GraphHttpClients.trusting(emulator.sslContext()), this::token,
                Clock.systemUTC(), new RecordingSleeper(), ceiling -> ceiling);
    }

    @Override
    protected KnownMember firstUser() {
        return member("alice");
    }

    @Override
    protected KnownMember secondUser() {
        return member("bob");
    }

    @Override
    protected void arrangeSignInRejected(CallerIdentity caller) {
        expiredFor.add(emulator.user(caller.principal().objectId()).username());
    }

    @Override
    protected void arrangePermissionMissing(CallerIdentity caller) {
        onlyMailSendFor.add(emulator.user(caller.principal().objectId()).username());
    }

    @Override
    protected void arrangeThrottledBeyondRetries() {
        emulator.control().failGraph(50, 429, Duration.ofSeconds(2));
    }

    @Override
    protected void arrangeUnavailable() {
        emulator.control().failGraph(50, 500, null);
    }

    @Test
    void givenATokenWithUserReadOnly_listMyGroups_getsTheGroupsWithoutTheirNames() {
        KnownMember alice = firstUser();
        onlyUserReadFor.add("alice");

        GroupPage page = port().listMyGroups(alice.caller(), GroupQuery.defaults());

        assertThat(page.groups()).extracting(DirectoryGroup::id)
                .containsExactlyElementsOf(alice.groups().stream().map(DirectoryGroup::id).toList());
        assertThat(page.groups()).allSatisfy(group -> assertThat(group.displayName()).isEmpty());
    }
}
