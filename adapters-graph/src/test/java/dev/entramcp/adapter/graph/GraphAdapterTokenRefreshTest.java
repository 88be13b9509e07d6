package dev.entramcp.adapter.graph;

import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.EmailAddress;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A 401 from Graph for a token its source still holds as valid (msal4j keeps handing back a cached
 * token until it expires): the adapter asks the {@link RefreshDownstreamToken} once for a fresh one
 * and repeats the call, so that a session ended early does not leave the person stuck.
 */
class GraphAdapterTokenRefreshTest {

    private final GraphTestbed bed = new GraphTestbed();
    /** A token source with a cache, as msal4j is: the same token until refreshed. */
    private final AtomicReference<AccessToken> cached = new AtomicReference<>();
    private final AtomicInteger refreshes = new AtomicInteger();
    private final AcquireDownstreamTokenPort cachingTokens = (caller, scopes) ->
            cached.updateAndGet(token -> token != null ? token : bed.tokens.acquireToken(caller, scopes));
    private final RefreshDownstreamToken refresh = (caller, scopes) -> {
        refreshes.incrementAndGet();
        AccessToken fresh = bed.tokens.acquireToken(caller, scopes);
        cached.set(fresh);
        return fresh;
    };

    @AfterEach
    void stop() {
        bed.close();
    }

    private GraphAdapter adapter(Optional<RefreshDownstreamToken> refresher) {
        return new GraphAdapter(bed.config(), GraphTestbed.HTTP, cachingTokens, refresher, bed.clock, bed.sleeper, bed.jitter);
    }

    private String rejectTheCachedToken(CallerIdentity caller) {
        String token = cachingTokens.acquireToken(caller, Set.of(GraphTestbed.PREFIX + "User.Read")).value();
        bed.graph.rejectToken(token);
        return token;
    }

    @Test
    void givenGraphRejectsTheCachedToken_loadUserProfile_retriesOnceWithARefreshedTokenAndSucceeds() {
        String rejected = rejectTheCachedToken(bed.alice);

        assertThat(adapter(Optional.of(refresh)).loadUserProfile(bed.alice)).isEqualTo(bed.aliceProfile);

        assertThat(refreshes).hasValue(1);
        assertThat(bed.graph.requestsTo("/me")).extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer " + rejected, "Bearer " + cached.get().value());
        assertThat(bed.sleeper.delays()).isEmpty();
    }

    @Test
    void givenGraphRejectsTheCachedToken_sendMail_isSentOnceWithTheRefreshedToken() {
        rejectTheCachedToken(bed.bob);
        MailMessage mail = new MailMessage(List.of(EmailAddress.of("carol@contoso.example")), "Hello", "Hi");

        adapter(Optional.of(refresh)).sendMail(bed.bob, mail);

        assertThat(bed.graph.requestsTo("/me/sendMail")).hasSize(2);
        assertThat(bed.graph.outboxOf(bed.bob.principal())).hasSize(1);
    }

    @Test
    void givenGraphRejectsEveryToken_loadUserProfile_refreshesOnlyOnceThenAsksToSignInAgain() {
        bed.graph.revoke(bed.alice.principal());

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> adapter(Optional.of(refresh)).loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class))
                .withMessageContaining("not even a newly refreshed token")
                .withMessageContaining("Sign in again");
        assertThat(refreshes).hasValue(1);
        assertThat(bed.graph.requestsTo("/me")).hasSize(2);
    }

    @Test
    void givenNoRefreshWired_loadUserProfile_failsAtTheFirst401() {
        rejectTheCachedToken(bed.alice);

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> adapter(Optional.empty()).loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.SignInRequired.class));
        assertThat(bed.graph.requestsTo("/me")).hasSize(1);
    }
}
