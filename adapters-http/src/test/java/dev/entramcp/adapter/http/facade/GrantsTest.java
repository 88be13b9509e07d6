package dev.entramcp.adapter.http.facade;

import dev.entramcp.adapter.http.facade.store.InMemoryRecordStore;
import dev.entramcp.adapter.http.facade.store.SealedRecords;
import dev.entramcp.adapter.http.facade.store.StoreKeys;
import dev.entramcp.adapter.http.support.MutableClock;
import dev.entramcp.domain.fixtures.InMemoryUpstreamTokenStore;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.RefreshToken;
import dev.entramcp.domain.model.UpstreamTokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Grants and their refresh tokens: rotation, replay detection, expiry, and when the upstream tokens go. */
class GrantsTest {

    private final MutableClock clock = MutableClock.atNow();
    private final InMemoryUpstreamTokenStore upstream = new InMemoryUpstreamTokenStore();
    private final Grants grants = new Grants(new SealedRecords(new InMemoryRecordStore(clock), StoreKeys.ephemeral(), clock),
            upstream, clock, Duration.ofDays(7), Duration.ofHours(24));
    private final SignedInUser user = SignedInUser.of(FacadeUsers.aUser("Pia"));

    private Grants.Issued grantFor(String clientId) {
        upstream.save(user.principal(), UpstreamTokens.of(AccessToken.of("a", Instant.now().plusSeconds(3600)),
                RefreshToken.of("r"), Set.of("User.Read")));
        return grants.create(user, clientId, new TreeSet<>(Set.of("User.Read")));
    }

    @Test
    void givenTheNewestRefreshToken_refresh_rotatesIt_andTheOldOneBecomesAReplay() {
        Grants.Issued issued = grantFor("client-1");

        Grants.Refresh first = grants.refresh(issued.refreshToken(), "client-1");
        Grants.Refresh replay = grants.refresh(issued.refreshToken(), "client-1");

        assertThat(first).isInstanceOf(Grants.Refresh.Rotated.class);
        String next = ((Grants.Refresh.Rotated) first).refreshToken();
        assertThat(next).isNotEqualTo(issued.refreshToken());
        assertThat(replay).isInstanceOf(Grants.Refresh.ReplayDetected.class);
        assertThat(grants.refresh(next, "client-1")).isInstanceOf(Grants.Refresh.Refused.class);
        assertThat(grants.find(issued.grant().id())).isEmpty();
        assertThat(upstream.load(user.principal())).isEmpty();
    }

    @Test
    void givenTheUserDescribedWithoutARole_update_takesItIntoEveryLiveGrantOfTheUserAndKeepsRotationWorking() {
        SignedInUser sender = SignedInUser.of(FacadeUsers.aMailSender("Rita"));
        SignedInUser other = SignedInUser.of(FacadeUsers.aMailSender("Sam"));
        Grants.Issued first = grants.create(sender, "client-1", new TreeSet<>(Set.of("User.Read")));
        Grants.Issued second = grants.create(sender, "client-2", new TreeSet<>(Set.of("User.Read")));
        Grants.Issued others = grants.create(other, "client-1", new TreeSet<>(Set.of("User.Read")));

        grants.update(new SignedInUser(sender.principal(), sender.username(), sender.displayName(), new TreeSet<>()));

        assertThat(grants.find(first.grant().id()).orElseThrow().user().roles()).isEmpty();
        assertThat(grants.find(second.grant().id()).orElseThrow().user().roles()).isEmpty();
        assertThat(grants.find(others.grant().id()).orElseThrow().user().roles()).containsExactly("Mail.Sender");
        Grants.Refresh rotated = grants.refresh(first.refreshToken(), "client-1");
        assertThat(rotated).isInstanceOf(Grants.Refresh.Rotated.class);
        assertThat(((Grants.Refresh.Rotated) rotated).grant().user().roles()).isEmpty();
    }

    @Test
    void givenATokenWithAForgedMac_refresh_refusesItAndRevokesNothing() {
        Grants.Issued issued = grantFor("client-1");
        String forged = issued.refreshToken().substring(0, issued.refreshToken().lastIndexOf('.') + 1) + "A".repeat(43);
        String future = issued.refreshToken().replace(".0.", ".5.");

        assertThat(grants.refresh(forged, "client-1")).isInstanceOf(Grants.Refresh.Refused.class);
        assertThat(grants.refresh(future, "client-1")).isInstanceOf(Grants.Refresh.Refused.class);
        assertThat(grants.refresh(issued.refreshToken(), "client-1")).isInstanceOf(Grants.Refresh.Rotated.class);
    }

    @Test
    void givenManyConcurrentUsesOfOneRefreshToken_refresh_rotatesOnceAndTreatsTheOthersAsReplays() throws Exception {
        Grants.Issued issued = grantFor("client-1");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Grants.Refresh>> uses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                uses.add(() -> grants.refresh(issued.refreshToken(), "client-1"));
            }
            List<Grants.Refresh> outcomes = new ArrayList<>();
            for (Future<Grants.Refresh> outcome : pool.invokeAll(uses)) {
                outcomes.add(outcome.get());
            }

            assertThat(outcomes).filteredOn(Grants.Refresh.Rotated.class::isInstance).hasSize(1);
            assertThat(outcomes).filteredOn(Grants.Refresh.Rotated.class::isInstance).hasSizeLessThan(outcomes.size());
            assertThat(grants.find(issued.grant().id())).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenARefreshTokenUnusedForLongerThanTheIdleLifetime_refresh_refusesIt() {
        Grants.Issued issued = grantFor("client-1");

        clock.advance(Duration.ofHours(25));

        assertThat(grants.refresh(issued.refreshToken(), "client-1")).isInstanceOf(Grants.Refresh.Refused.class);
    }

    @Test
    void givenAGrantPastItsLifetime_find_isEmptyEvenIfRefreshedAllAlong() {
        Grants.Issued issued = grantFor("client-1");
        String token = issued.refreshToken();
        for (int day = 0; day < 6; day++) {
            clock.advance(Duration.ofHours(20));
            token = ((Grants.Refresh.Rotated) grants.refresh(token, "client-1")).refreshToken();
        }

        clock.advance(Duration.ofHours(49));

        assertThat(grants.find(issued.grant().id())).isEmpty();
        assertThat(grants.refresh(token, "client-1")).isInstanceOf(Grants.Refresh.Refused.class);
    }

    @Test
    void givenTwoGrantsOfOneUser_revokingOne_keepsTheUpstreamTokens_andRevokingTheLast_deletesThem() {
        Grants.Issued first = grantFor("client-1");
        Grants.Issued second = grantFor("client-2");

        grants.revoke(first.grant(), false);
        boolean keptAfterFirst = upstream.load(user.principal()).isPresent();
        grants.revoke(second.grant(), false);

        assertThat(keptAfterFirst).isTrue();
        assertThat(upstream.load(user.principal())).isEmpty();
        assertThat(grants.of(user.principal())).isEmpty();
    }

    @Test
    void givenTheUsersOtherGrantEndedByTime_revokingTheLastLiveOne_deletesTheUpstreamTokens() {
        grantFor("client-1");
        clock.advance(Duration.ofHours(25));
        Grants.Issued recent = grantFor("client-2");
        assertThat(grants.of(user.principal())).extracting(Grant::id).containsExactly(recent.grant().id());

        grants.revoke(recent.grant(), false);

        assertThat(upstream.load(user.principal())).isEmpty();
    }

    @Test
    void givenAGrantOfAnotherClient_findByRefreshToken_isEmpty() {
        Grants.Issued issued = grantFor("client-1");

        assertThat(grants.findByRefreshToken(issued.refreshToken(), "client-2")).isEmpty();
        assertThat(grants.findByRefreshToken(issued.refreshToken(), "client-1")).isPresent();
    }
}
