package dev.entramcp.adapter.graph;

import dev.entramcp.adapter.graph.FakeGraph.Recorded;
import dev.entramcp.adapter.graph.FakeGraph.Reply;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UserProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code GET /me}: the request it sends, the token it carries, the profile it maps, the cache. */
class GraphAdapterProfileTest {

    private static final String INBOUND_TOKEN = "eyJhbGciOiJSUzI1NiJ9.inbound-for-the-mcp-server.sig";

    private final GraphTestbed bed = new GraphTestbed();

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void givenKnownUser_loadUserProfile_getsMeSelectingExactlyTheProfileFields() {
        GraphAdapter graph = bed.adapter();

        UserProfile profile = graph.loadUserProfile(bed.alice);

        assertThat(profile).isEqualTo(bed.aliceProfile);
        assertThat(bed.graph.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.path()).isEqualTo("/v1.0/me");
            assertThat(request.rawQuery()).isEqualTo("$select=id,displayName,userPrincipalName,mail,jobTitle,officeLocation");
            assertThat(request.header("Accept")).isEqualTo("application/json");
            assertThat(request.header("client-request-id")).matches("[0-9a-f-]{36}");
        });
    }

    @Test
    void givenProfileWithNullFields_loadUserProfile_mapsThemToEmpty() {
        UserProfile profile = bed.adapter().loadUserProfile(bed.bob);

        assertThat(profile).isEqualTo(bed.bobProfile);
        assertThat(profile.mail()).isEmpty();
    }

    @Test
    void givenCallerCarryingTheirInboundToken_loadUserProfile_sendsExactlyThePortsTokenAndNeverTheInboundOne() {
        CallerIdentity caller = bed.alice.withAssertion(dev.entramcp.domain.model.UserAssertion.of(INBOUND_TOKEN));

        bed.adapter().loadUserProfile(caller);

        Recorded request = bed.graph.requests().get(0);
        assertThat(bed.tokens.issued()).hasSize(1);
        assertThat(request.headers().get("authorization")).containsExactly("Bearer " + bed.tokens.issued().get(0));
        assertThat(request.headers().values()).allSatisfy(values -> assertThat(values).noneMatch(v -> v.contains(INBOUND_TOKEN)));
        assertThat(request.rawQuery()).doesNotContain(INBOUND_TOKEN);
    }

    @Test
    void givenDefaultConfig_loadUserProfile_asksTheTokenPortForGraphUserReadOnly() {
        bed.adapter().loadUserProfile(bed.alice);

        assertThat(bed.tokens.requests()).singleElement().satisfies(request -> {
            assertThat(request.caller()).isEqualTo(bed.alice);
            assertThat(request.scopes()).containsExactly("https://graph.microsoft.com/User.Read");
        });
    }

    @Test
    void givenNationalCloudScopePrefix_loadUserProfile_asksForThatCloudsScope() {
        String usGov = "https://graph.microsoft.us/";
        FakeTokens usGovTokens = new FakeTokens(bed.graph, usGov);
        GraphAdapter graph = new GraphAdapter(GraphConfig.of(bed.graph.baseUrl(), usGov), GraphTestbed.HTTP, usGovTokens,
                bed.clock, bed.sleeper, bed.jitter);

        UserProfile profile = graph.loadUserProfile(bed.alice);

        assertThat(profile).isEqualTo(bed.aliceProfile);
        assertThat(usGovTokens.requests()).singleElement()
                .satisfies(request -> assertThat(request.scopes()).isEqualTo(Set.of("https://graph.microsoft.us/User.Read")));
    }

    @Test
    void givenProfileLoaded_loadAgainWithinTtl_answersFromTheCache() {
        GraphAdapter graph = bed.adapter();
        graph.loadUserProfile(bed.alice);
        bed.clock.advance(Duration.ofSeconds(59));

        UserProfile again = graph.loadUserProfile(bed.alice);

        assertThat(again).isEqualTo(bed.aliceProfile);
        assertThat(bed.graph.requestsTo("/me")).hasSize(1);
        assertThat(bed.tokens.requests()).hasSize(1);
    }

    @Test
    void givenTtlPassed_loadAgain_asksGraphAgain() {
        GraphAdapter graph = bed.adapter();
        graph.loadUserProfile(bed.alice);
        bed.clock.advance(Duration.ofSeconds(60));

        graph.loadUserProfile(bed.alice);

        assertThat(bed.graph.requestsTo("/me")).hasSize(2);
    }

    @Test
    void givenAliceCached_loadForBob_asksGraphAndKeepsEachProfileApart() {
        GraphAdapter graph = bed.adapter();
        graph.loadUserProfile(bed.alice);

        UserProfile bobs = graph.loadUserProfile(bed.bob);
        UserProfile alices = graph.loadUserProfile(bed.alice);

        assertThat(bobs).isEqualTo(bed.bobProfile);
        assertThat(alices).isEqualTo(bed.aliceProfile);
        assertThat(bed.graph.requestsTo("/me")).hasSize(2);
    }

    @Test
    void givenSameObjectIdInAnotherTenant_load_isNotServedTheCachedProfile() {
        GraphAdapter graph = bed.adapter();
        graph.loadUserProfile(bed.alice);
        CallerIdentity sameOidOtherTenant = Callers.aCaller().withObjectId(Callers.ALICE_OID)
                .inTenant("99999999-2222-3333-4444-555555555555").withScopes("User.Read").build();

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> graph.loadUserProfile(sameOidOtherTenant))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class));
        assertThat(bed.graph.requestsTo("/me")).hasSize(2);
    }

    @Test
    void givenCacheFull_loadingAnotherUser_evictsTheLeastRecentlyUsed() {
        GraphAdapter graph = bed.adapter(bed.config().withProfileCache(Duration.ofSeconds(60), 1));
        graph.loadUserProfile(bed.alice);
        graph.loadUserProfile(bed.bob);

        graph.loadUserProfile(bed.bob);
        graph.loadUserProfile(bed.alice);

        assertThat(bed.graph.requestsTo("/me")).hasSize(3);
    }

    @Test
    void givenCacheTurnedOff_eachLoad_asksGraph() {
        GraphAdapter graph = bed.adapter(bed.config().withProfileCache(Duration.ZERO, 100));

        graph.loadUserProfile(bed.alice);
        graph.loadUserProfile(bed.alice);

        assertThat(bed.graph.requestsTo("/me")).hasSize(2);
    }

    @Test
    void givenAFailedLoad_loadAgain_isNotServedAFailureFromTheCache() {
        GraphAdapter graph = bed.adapter(bed.config().withRetry(GraphRetryPolicy.noRetries()));
        bed.graph.script("/me", Reply.error(500, "generalException"));
        assertThatExceptionOfType(ToolFailureException.class).isThrownBy(() -> graph.loadUserProfile(bed.alice));

        UserProfile profile = graph.loadUserProfile(bed.alice);

        assertThat(profile).isEqualTo(bed.aliceProfile);
    }

    @Test
    void givenProfileWithoutId_loadUserProfile_failsAsUnavailableWithoutEchoingTheBody() {
        bed.graph.script("/me", Reply.raw(200, "{\"displayName\":\"" + FakeGraph.BODY_MARKER + "\"}"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageContaining("no id")
                .withMessageNotContaining(FakeGraph.BODY_MARKER);
    }

    @Test
    void givenAnswerThatIsNotJson_loadUserProfile_failsAsUnavailable() {
        bed.graph.script("/me", Reply.raw(200, "<html>" + FakeGraph.BODY_MARKER + "</html>"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageNotContaining(FakeGraph.BODY_MARKER);
    }

    @Test
    void givenAnswerLargerThanAMegabyte_loadUserProfile_failsWithoutRetrying() {
        bed.graph.script("/me", Reply.raw(200, "{\"id\":\"x\",\"pad\":\"" + "a".repeat(1024 * 1024) + "\"}"));

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> bed.adapter().loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageContaining("too large");
        assertThat(bed.graph.requestsTo("/me")).hasSize(1);
    }
}
