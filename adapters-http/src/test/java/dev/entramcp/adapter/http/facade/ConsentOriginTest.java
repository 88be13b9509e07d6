package dev.entramcp.adapter.http.facade;

import dev.entramcp.adapter.http.facade.store.InMemoryRecordStore;
import dev.entramcp.adapter.http.facade.store.SealedRecords;
import dev.entramcp.adapter.http.facade.store.StoreKeys;
import dev.entramcp.adapter.http.support.MutableClock;
import dev.entramcp.domain.fixtures.Callers;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consent {@code POST}'s {@code Origin} rule, on the flow itself as a server on a real host
 * (not {@code localhost}, where Micronaut's own check answers first) runs it: absent or this
 * server's origin goes on to the CSRF checks; {@code null} and another site are refused, each with
 * its own message, and leave the consent page usable.
 */
class ConsentOriginTest {

    private static final String ISSUER = "https://mcp.example.test";
    private static final String REDIRECT_URI = "http://127.0.0.1:53682/callback";

    private final MutableClock clock = MutableClock.atNow();
    private final SealedRecords records = new SealedRecords(new InMemoryRecordStore(clock), StoreKeys.ephemeral(), clock);
    private final FacadeSettings settings = settings();
    private final AuthorizationFlow flow = new AuthorizationFlow(settings, clients(), records, new FakeUpstream(),
            FakeUpstream.ORIGIN, "entra-mcp", new RequestLimits(settings.limits(), System::nanoTime), clock);

    /** A consent page shown to a browser: its form's fields and the browser cookie it set. */
    private record Shown(Map<String, String> fields, String cookie) {
    }

    private Shown consentPage() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", "web-client");
        query.put("redirect_uri", REDIRECT_URI);
        query.put("code_challenge", OAuthTestClient.Pkce.fresh().challenge());
        query.put("code_challenge_method", "S256");
        query.put("state", "s");
        query.put("scope", "User.Read");
        AuthorizationFlow.Answer.Page page = (AuthorizationFlow.Answer.Page) flow.authorize(
                Form.parse(OAuthTestClient.form(query)), Optional.empty());
        assertThat(page.status()).as(page.html()).isEqualTo(200);
        Map<String, String> fields = OAuthTestClient.hiddenFields(page.html());
        fields.put("decision", "allow");
        return new Shown(fields, page.cookies().get(0).value());
    }

    private AuthorizationFlow.Answer post(Shown shown, Optional<String> origin) {
        return flow.consent(Form.parse(OAuthTestClient.form(shown.fields())), Optional.of(shown.cookie()), origin);
    }

    @Test
    void givenOriginNull_consent_isRefusedNamingTheOpaqueOriginAndThePageStaysUsable() {
        Shown shown = consentPage();

        AuthorizationFlow.Answer refused = post(shown, Optional.of("null"));

        assertThat(refused).isInstanceOf(AuthorizationFlow.Answer.Page.class);
        assertThat(((AuthorizationFlow.Answer.Page) refused).status()).isEqualTo(403);
        assertThat(((AuthorizationFlow.Answer.Page) refused).html()).contains(Pages.esc(AuthorizationFlow.ORIGIN_NULL_REFUSED));
        assertThat(post(shown, Optional.of(ISSUER))).isInstanceOf(AuthorizationFlow.Answer.Redirect.class);
    }

    @Test
    void givenAnotherSitesOrigin_consent_isRefusedAsSentFromAnotherSite() {
        AuthorizationFlow.Answer refused = post(consentPage(), Optional.of("https://evil.example"));

        assertThat(((AuthorizationFlow.Answer.Page) refused).status()).isEqualTo(403);
        assertThat(((AuthorizationFlow.Answer.Page) refused).html()).contains("sent from another site");
    }

    @Test
    void givenThisServersOriginOrNone_consent_goesOnToEntra() {
        AuthorizationFlow.Answer sameOrigin = post(consentPage(), Optional.of(ISSUER));
        AuthorizationFlow.Answer noOrigin = post(consentPage(), Optional.empty());

        assertThat(((AuthorizationFlow.Answer.Redirect) sameOrigin).location().toString()).startsWith(FakeUpstream.ORIGIN);
        assertThat(((AuthorizationFlow.Answer.Redirect) noOrigin).location().toString()).startsWith(FakeUpstream.ORIGIN);
    }

    private Clients clients() {
        Clients clients = new Clients(records, Optional.empty(), Duration.ofMinutes(10), Duration.ofSeconds(60), 1, clock);
        clients.save(new RegisteredClient("web-client", Optional.of("Web client"), List.of(REDIRECT_URI),
                RegisteredClient.ApplicationType.NATIVE, RegisteredClient.AuthMethod.NONE, Optional.empty(),
                Set.of(RegisteredClient.AUTHORIZATION_CODE, RegisteredClient.REFRESH_TOKEN), clock.instant(),
                RegisteredClient.Origin.REGISTERED));
        return clients;
    }

    private static FacadeSettings settings() {
        return new FacadeSettings(ISSUER, URI.create(ISSUER + "/mcp"), URI.create(ISSUER + FacadeSettings.CALLBACK_PATH),
                List.of("User.Read"), List.of("User.Read"), Set.of(Callers.TENANT),
                Set.of("User.Read", "offline_access"), Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofHours(24),
                Duration.ofDays(7), Duration.ofDays(30), FacadeSettings.StoreType.MEMORY, Optional.empty(),
                StoreKeys.ephemeral(), true, 60,
                new FacadeSettings.CimdSettings(false, false, Duration.ofSeconds(5), 16_384, Duration.ofMinutes(10),
                        Duration.ofSeconds(60), 4, Optional.empty()),
                new FacadeSettings.LimitSettings(60, 10, 300, 10_000, 10_000, false));
    }
}
