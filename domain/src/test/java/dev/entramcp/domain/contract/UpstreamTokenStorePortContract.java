package dev.entramcp.domain.contract;

import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.model.RefreshToken;
import dev.entramcp.domain.model.UpstreamTokens;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link UpstreamTokenStorePort} must do, run against the in-memory fake and against
 * each real store (extend this class and provide {@link #store()}).
 */
public abstract class UpstreamTokenStorePortContract {

    protected static final PrincipalId ALICE = PrincipalId.of(Callers.TENANT, Callers.ALICE_OID);
    protected static final PrincipalId BOB = PrincipalId.of(Callers.TENANT, Callers.BOB_OID);

    /** A fresh, empty store. */
    protected abstract UpstreamTokenStorePort store();

    protected static UpstreamTokens tokens(String access, String refresh) {
        return UpstreamTokens.of(AccessToken.of(access, Instant.parse("2030-01-01T00:00:00Z")),
                refresh == null ? null : RefreshToken.of(refresh), Set.of("User.Read", "Mail.Send"));
    }

    @Test
    void givenNothingSaved_load_isEmpty() {
        assertThat(store().load(ALICE)).isEmpty();
    }

    @Test
    void givenSavedTokens_load_returnsThemIntact() {
        UpstreamTokenStorePort store = store();

        store.save(ALICE, tokens("a-1", "r-1"));

        assertThat(store.load(ALICE)).contains(tokens("a-1", "r-1"));
    }

    @Test
    void givenTokensWithoutRefreshToken_load_returnsThemWithoutOne() {
        UpstreamTokenStorePort store = store();

        store.save(ALICE, tokens("a-1", null));

        assertThat(store.load(ALICE)).hasValueSatisfying(loaded -> assertThat(loaded.refreshToken()).isEmpty());
    }

    @Test
    void givenTwoUsers_load_neverReturnsTheOthersTokens() {
        UpstreamTokenStorePort store = store();

        store.save(ALICE, tokens("alice-access", "alice-refresh"));
        store.save(BOB, tokens("bob-access", "bob-refresh"));

        assertThat(store.load(ALICE).orElseThrow().accessToken().value()).isEqualTo("alice-access");
        assertThat(store.load(BOB).orElseThrow().accessToken().value()).isEqualTo("bob-access");
    }

    @Test
    void givenSaveTwice_load_returnsTheLatest() {
        UpstreamTokenStorePort store = store();

        store.save(ALICE, tokens("a-1", "r-1"));
        store.save(ALICE, tokens("a-2", "r-2"));

        assertThat(store.load(ALICE)).contains(tokens("a-2", "r-2"));
    }

    @Test
    void givenDeleted_load_isEmptyAndTheOtherUserRemains() {
        UpstreamTokenStorePort store = store();
        store.save(ALICE, tokens("a-1", "r-1"));
        store.save(BOB, tokens("b-1", "r-1"));

        store.delete(ALICE);

        assertThat(store.load(ALICE)).isEmpty();
        assertThat(store.load(BOB)).isPresent();
    }

    @Test
    void givenNothingSaved_delete_isHarmless() {
        UpstreamTokenStorePort store = store();

        store.delete(ALICE);

        assertThat(store.load(ALICE)).isEmpty();
    }
}
