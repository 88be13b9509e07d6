package dev.entramcp.emulator;

import com.microsoft.aad.msal4j.ClaimsRequest;
import com.microsoft.aad.msal4j.DeviceCode;
import com.microsoft.aad.msal4j.DeviceCodeFlowParameters;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.InteractiveRequestParameters;
import com.microsoft.aad.msal4j.InteractionRequiredExceptionReason;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.SilentParameters;
import com.microsoft.aad.msal4j.SystemBrowserOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** msal4j's public client against the emulator: device code, interactive, silent, refresh. */
class PublicClientMsalTest {

    private static final Set<String> GRAPH_SCOPES = Set.of("User.Read", "Mail.Send");

    private static EntraEmulator emu;

    @BeforeAll
    static void start() {
        emu = EntraEmulator.builder().deviceCodeInterval(Duration.ofSeconds(1)).build().start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @BeforeEach
    void reset() {
        emu.control().autoApprove(null);
        emu.control().setAccessTokenLifetime(Duration.ofMinutes(60));
        emu.control().clearRecords();
    }

    @Test
    void givenAutoApproval_deviceCodeFlow_returnsGraphTokenAndAnAccount() throws Exception {
        emu.control().autoApprove("alice");
        PublicClientApplication app = Fixtures.publicClient(emu, emu.apps().local().clientId());
        AtomicReference<DeviceCode> shown = new AtomicReference<>();

        IAuthenticationResult result = app.acquireToken(DeviceCodeFlowParameters.builder(GRAPH_SCOPES, shown::set)
                .build()).get(30, TimeUnit.SECONDS);

        assertThat(shown.get().verificationUri()).isEqualTo(emu.baseUrl() + "/devicelogin");
        assertThat(shown.get().message()).contains(shown.get().userCode());
        Map<String, Object> claims = Fixtures.claims(result.accessToken());
        assertThat(claims).containsEntry("aud", EntraEmulator.GRAPH_APP_ID)
                .containsEntry("iss", emu.issuer().toString())
                .containsEntry("tid", emu.tenantId())
                .containsEntry("oid", emu.user("alice").objectId())
                .containsEntry("azp", emu.apps().local().clientId())
                .containsEntry("preferred_username", "alice@entra-emulator.test")
                .containsEntry("ver", "2.0");
        assertThat(((String) claims.get("scp")).split(" ")).contains("User.Read", "Mail.Send");
        assertThat(result.account().username()).isEqualTo("alice@entra-emulator.test");
        assertThat(result.account().homeAccountId()).isEqualTo(emu.user("alice").objectId() + "." + emu.tenantId());
        assertThat(app.getAccounts().join()).hasSize(1);
        assertThat(emu.control().counters().tokensIssued(Grant.DEVICE_CODE)).isEqualTo(1);
        assertThat(emu.control().counters().signIns("alice")).isEqualTo(1);
    }

    @Test
    void givenAPersonEnteringTheCode_deviceCodeFlow_pollsUntilApproved() throws Exception {
        PublicClientApplication app = Fixtures.publicClient(emu, emu.apps().local().clientId());
        HeadlessBrowser person = new HeadlessBrowser(emu);
        CompletableFuture<TestHttp.Response> approval = new CompletableFuture<>();

        IAuthenticationResult result = app.acquireToken(DeviceCodeFlowParameters.builder(GRAPH_SCOPES, code ->
                // the person types the code into the page, on another thread, while msal4j polls
                CompletableFuture.runAsync(() -> approval.complete(enterCode(person, code.userCode(), "bob"))))
                .build()).get(30, TimeUnit.SECONDS);

        assertThat(approval.get(5, TimeUnit.SECONDS).body()).contains("You have signed in to the entra-mcp local server");
        assertThat(Fixtures.claims(result.accessToken())).containsEntry("oid", emu.user("bob").objectId());
        assertThat(emu.control().counters().tokenRequests(Grant.DEVICE_CODE)).isGreaterThan(1);
        assertThat(emu.control().counters().tokensIssued(Grant.DEVICE_CODE)).isEqualTo(1);
    }

    @Test
    void givenHeadlessBrowser_interactiveFlow_signsInWithPkceAndFormPost() throws Exception {
        PublicClientApplication app = Fixtures.publicClient(emu, emu.apps().local().clientId());
        HeadlessBrowser browser = new HeadlessBrowser(emu);
        AtomicReference<String> authorizeUrl = new AtomicReference<>();

        IAuthenticationResult result = app.acquireToken(InteractiveRequestParameters.builder(new URI("http://localhost"))
                .scopes(GRAPH_SCOPES)
                .systemBrowserOptions(SystemBrowserOptions.builder().openBrowserAction(url -> {
                    authorizeUrl.set(url.toString());
                    browser.handBack(browser.signIn(url.toString(), "bob"));
                }).build())
                .build()).get(30, TimeUnit.SECONDS);

        Map<String, String> asked = TestHttp.queryOf(authorizeUrl.get());
        assertThat(asked).containsEntry("response_mode", "form_post").containsEntry("code_challenge_method", "S256")
                .containsKey("code_challenge").containsKey("state");
        assertThat(asked.get("redirect_uri")).matches("http://localhost:\\d+");
        assertThat(Fixtures.claims(result.accessToken())).containsEntry("oid", emu.user("bob").objectId());
        Map<String, Object> idToken = Fixtures.claims(result.idToken());
        assertThat(idToken).containsEntry("aud", emu.apps().local().clientId())
                .containsEntry("roles", java.util.List.of("Mail.Sender"));
        assertThat(emu.control().counters().tokensIssued(Grant.AUTHORIZATION_CODE)).isEqualTo(1);
    }

    @Test
    void givenASignedInAccount_silentCall_isServedFromTheCacheWithoutATokenRequest() throws Exception {
        emu.control().autoApprove("alice");
        PublicClientApplication app = Fixtures.publicClient(emu, emu.apps().local().clientId());
        IAuthenticationResult first = app.acquireToken(DeviceCodeFlowParameters.builder(GRAPH_SCOPES, c -> { })
                .build()).get(30, TimeUnit.SECONDS);
        int requestsBefore = emu.control().counters().totalTokenRequests();

        IAccount account = app.getAccounts().join().iterator().next();
        IAuthenticationResult silent = app.acquireTokenSilently(silent(account)).get(30, TimeUnit.SECONDS);

        assertThat(silent.accessToken()).isEqualTo(first.accessToken());
        assertThat(emu.control().counters().totalTokenRequests()).isEqualTo(requestsBefore);
    }

    @Test
    void givenAnAccessTokenAboutToExpire_silentCall_refreshesWithTheRefreshToken() throws Exception {
        emu.control().autoApprove("alice");
        // msal4j treats a token within 5 minutes of expiry as expired, so a 2-minute token is refreshed.
        emu.control().setAccessTokenLifetime(Duration.ofMinutes(2));
        PublicClientApplication app = Fixtures.publicClient(emu, emu.apps().local().clientId());
        IAuthenticationResult first = app.acquireToken(DeviceCodeFlowParameters.builder(GRAPH_SCOPES, c -> { })
                .build()).get(30, TimeUnit.SECONDS);
        IAccount account = app.getAccounts().join().iterator().next();

        IAuthenticationResult refreshed = app.acquireTokenSilently(silent(account)).get(30, TimeUnit.SECONDS);

        assertThat(refreshed.accessToken()).isNotEqualTo(first.accessToken());
        assertThat(Fixtures.claims(refreshed.accessToken())).containsEntry("oid", emu.user("alice").objectId());
        assertThat(emu.control().counters().tokensIssued(Grant.REFRESH_TOKEN)).isEqualTo(1);
    }

    @Test
    void givenRevokedRefreshTokens_silentRefresh_requiresInteraction() throws Exception {
        emu.control().autoApprove("alice");
        emu.control().setAccessTokenLifetime(Duration.ofMinutes(2));
        PublicClientApplication app = Fixtures.publicClient(emu, emu.apps().local().clientId());
        app.acquireToken(DeviceCodeFlowParameters.builder(GRAPH_SCOPES, c -> { }).build()).get(30, TimeUnit.SECONDS);
        IAccount account = app.getAccounts().join().iterator().next();

        int revoked = emu.control().revokeRefreshTokens("alice");

        assertThat(revoked).isPositive();
        assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
                .isThrownBy(() -> app.acquireTokenSilently(silent(account))
                        .get(30, TimeUnit.SECONDS))
                .havingCause().isInstanceOf(MsalInteractionRequiredException.class)
                .withMessageContaining("AADSTS50173");
    }

    @Test
    void givenWithdrawnConsent_silentRefresh_requiresInteractionUntilTheUserConsentsAgain() throws Exception {
        emu.control().autoApprove("bob");
        emu.control().setAccessTokenLifetime(Duration.ofMinutes(2));
        PublicClientApplication app = Fixtures.publicClient(emu, emu.apps().local().clientId());
        app.acquireToken(DeviceCodeFlowParameters.builder(GRAPH_SCOPES, c -> { }).build()).get(30, TimeUnit.SECONDS);
        IAccount account = app.getAccounts().join().iterator().next();

        emu.control().withdrawConsent("bob", emu.apps().local().clientId());

        assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
                .isThrownBy(() -> app.acquireTokenSilently(silent(account))
                        .get(30, TimeUnit.SECONDS))
                .havingCause().isInstanceOfSatisfying(MsalInteractionRequiredException.class, e ->
                        assertThat(e.getMessage()).contains("AADSTS65001"));
        IAuthenticationResult again = app.acquireToken(DeviceCodeFlowParameters.builder(GRAPH_SCOPES, c -> { })
                .build()).get(30, TimeUnit.SECONDS);
        assertThat(Fixtures.claims(again.accessToken())).containsEntry("oid", emu.user("bob").objectId());
    }

    @Test
    void givenAnMfaPolicy_silentRefresh_requiresInteractionWithAClaimsChallengeUntilCleared() throws Exception {
        emu.control().autoApprove("alice");
        emu.control().setAccessTokenLifetime(Duration.ofMinutes(2));
        PublicClientApplication app = Fixtures.publicClient(emu, emu.apps().local().clientId());
        app.acquireToken(DeviceCodeFlowParameters.builder(GRAPH_SCOPES, c -> { }).build()).get(30, TimeUnit.SECONDS);
        IAccount account = app.getAccounts().join().iterator().next();
        AtomicReference<String> challenge = new AtomicReference<>();

        String policyId = emu.control().requireMfa("alice");
        try {
            assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
                    .isThrownBy(() -> app.acquireTokenSilently(silent(account)).get(30, TimeUnit.SECONDS))
                    .havingCause().isInstanceOfSatisfying(MsalInteractionRequiredException.class, e -> {
                        // Entra answers a refresh with invalid_grant + basic_action; msal4j makes that an
                        // interaction-required exception and hands over the challenge for the next request.
                        assertThat(e.errorCode()).isEqualTo("invalid_grant");
                        assertThat(e.reason()).isEqualTo(InteractionRequiredExceptionReason.BASIC_ACTION);
                        assertThat(e.getMessage()).startsWith("AADSTS50076: ");
                        assertThat(e.claims()).isEqualTo("{\"access_token\":{\"capolids\":{\"essential\":true,"
                                + "\"values\":[\"" + policyId + "\"]}}}");
                        challenge.set(e.claims());
                    });
        } finally {
            emu.control().clearMfaRequirement("alice");
        }
        int requestsAfterRefusal = emu.control().counters().totalTokenRequests();

        // msal4j's public client remembers an interaction-required refusal of the same refresh for 120 s and
        // replays it without asking Entra; a request carrying the challenge is a different request.
        assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
                .isThrownBy(() -> app.acquireTokenSilently(silent(account)).get(30, TimeUnit.SECONDS))
                .havingCause().isInstanceOf(MsalInteractionRequiredException.class);
        assertThat(emu.control().counters().totalTokenRequests()).isEqualTo(requestsAfterRefusal);
        IAuthenticationResult afterMfa = app.acquireTokenSilently(SilentParameters.builder(GRAPH_SCOPES, account)
                .authorityUrl(emu.authority().toString()).claims(ClaimsRequest.formatAsClaimsRequest(challenge.get()))
                .build()).get(30, TimeUnit.SECONDS);

        assertThat(Fixtures.claims(afterMfa.accessToken())).containsEntry("oid", emu.user("alice").objectId());
        assertThat(emu.control().counters().tokensIssued(Grant.REFRESH_TOKEN)).isEqualTo(1);
    }

    @Test
    void givenAnAuthorityWithAPort_silentRefreshWithoutAuthorityUrl_losesThePort() throws Exception {
        emu.control().autoApprove("alice");
        emu.control().setAccessTokenLifetime(Duration.ofMinutes(2));
        PublicClientApplication app = Fixtures.publicClient(emu, emu.apps().local().clientId());
        app.acquireToken(DeviceCodeFlowParameters.builder(GRAPH_SCOPES, c -> { }).build()).get(30, TimeUnit.SECONDS);
        IAccount account = app.getAccounts().join().iterator().next();

        // msal4j 1.26.1 caches the account's environment as the bare host ("localhost"), sees that it differs
        // from the authority's "localhost:PORT", and rewrites the refresh URL to the bare host: port 443.
        // Callers must pass SilentParameters.authorityUrl, as silent(...) below does.
        assertThat(account.environment()).isEqualTo("localhost");
        int tokenRequestsBefore = emu.control().counters().totalTokenRequests();
        // Nothing listens on localhost:443 (a connection refused), or something that is not the emulator
        // does (a TLS failure against the emulator's trust): an I/O failure either way.
        assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
                .isThrownBy(() -> app.acquireTokenSilently(SilentParameters.builder(GRAPH_SCOPES, account).build())
                        .get(30, TimeUnit.SECONDS))
                .withRootCauseInstanceOf(java.io.IOException.class);
        assertThat(emu.control().counters().totalTokenRequests())
                .as("the refresh never reached the emulator's port").isEqualTo(tokenRequestsBefore);
    }

    /** Silent parameters that keep the emulator's port (see the test above). */
    private static SilentParameters silent(IAccount account) throws java.net.MalformedURLException {
        return SilentParameters.builder(GRAPH_SCOPES, account).authorityUrl(emu.authority().toString()).build();
    }

    private static TestHttp.Response enterCode(HeadlessBrowser person, String userCode, String username) {
        TestHttp http = person.http();
        TestHttp.Response form = http.get(emu.baseUrl() + "/devicelogin");
        Map<String, String> fields = form.hiddenFields();
        fields.put("user_code", userCode);
        TestHttp.Response login = http.postForm(emu.baseUrl() + "/devicelogin", fields);
        Map<String, String> pick = login.hiddenFields();
        pick.put("username", username);
        return http.postForm(emu.baseUrl() + "/ui/login", pick);
    }
}
