package dev.entramcp.adapter.entra;

import dev.entramcp.adapter.entra.cache.ProtectedTokenCache;
import dev.entramcp.adapter.entra.cache.TokenCacheConfig;
import dev.entramcp.adapter.entra.cache.CacheKeyPolicy;
import dev.entramcp.domain.fixtures.Callers;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.SignInPrompt;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The public client against loopback stand-ins for Entra: a device-code fake (mock-oauth2-server has
 * no device code) and mock-oauth2-server for the browser flow.
 */
class EntraPublicClientTest {

    private static final String CLIENT_ID = "0f0f0f0f-1111-2222-3333-444444444444";
    private static final Duration GENEROUS = Duration.ofSeconds(20);
    private static final Duration SHORT_WAIT = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private FakeDeviceCodeEntra entra;
    private final RecordingPrompts prompts = new RecordingPrompts();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startFakeEntra() throws Exception {
        entra = new FakeDeviceCodeEntra();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        entra.close();
    }

    @Test
    void givenNoCachedAccount_signIn_promptsThroughThePortAndCompletesOnceTheCodeIsEntered() throws Exception {
        EntraPublicClient client = deviceCodeClient(GENEROUS, Optional.empty());

        CompletableFuture<CallerIdentity> signingIn = CompletableFuture.supplyAsync(client::signIn);
        SignInPrompt prompt = prompts.next(Duration.ofSeconds(10));
        entra.approve(prompt.userCode().orElseThrow());
        CallerIdentity caller = signingIn.get(15, TimeUnit.SECONDS);

        assertThat(prompt.verificationUri().toString()).endsWith("/devicelogin");
        assertThat(prompt.userCode()).contains("CODE-1");
        assertThat(prompt.message()).contains(prompt.verificationUri().toString()).contains("CODE-1");
        assertThat(prompt.expiresAt()).isAfter(Instant.now());
        assertThat(caller.principal().tenantId()).isEqualTo(EntraMock.TENANT);
        assertThat(caller.principal().objectId()).isEqualTo(EntraMock.ALICE);
    }

    @Test
    void givenSignedIn_currentCaller_comesFromTheIdTokenAndTheGrantedScopes() throws Exception {
        EntraPublicClient client = signedInDeviceCodeClient(Optional.empty());

        CallerIdentity caller = client.currentCaller().orElseThrow();

        assertThat(caller.isUser()).isTrue();
        assertThat(caller.displayName()).isEqualTo("Alice");
        assertThat(caller.username()).isEqualTo("alice@contoso.example");
        assertThat(caller.roles()).containsExactly("Mail.Sender");
        assertThat(caller.clientAppId()).isEqualTo(CLIENT_ID);
        assertThat(caller.scopes()).contains("User.Read", "Mail.Send");
        assertThat(caller.assertion()).isEmpty();
    }

    @Test
    void givenSignInNotFinishedWithinTheBound_acquireToken_failsNamingUrlAndCode_andThePendingFlowCompletesTheNextCall() throws Exception {
        EntraPublicClient client = deviceCodeClient(SHORT_WAIT, Optional.empty());
        CallerIdentity alice = aliceAsSeenLocally();

        ToolFailureException failure = catchFailure(() -> client.acquireToken(alice, Set.of("User.Read")));
        SignInPrompt prompt = prompts.next(Duration.ofSeconds(5));
        entra.approve(prompt.userCode().orElseThrow());
        awaitTrue(() -> client.currentCaller().isPresent(), Duration.ofSeconds(15));
        AccessToken token = client.acquireToken(alice, Set.of("User.Read"));

        assertThat(failure.failure()).isEqualTo(new ToolFailure.SignInRequired(
                "Sign in at " + prompt.verificationUri() + " with code CODE-1, then call the tool again."));
        assertThat(failure.getMessage()).contains("Sign in at https://localhost:").contains("with code CODE-1");
        assertThat(token.isExpiredAt(Instant.now())).isFalse();
        assertThat(entra.deviceCodeRequests()).isEqualTo(1);
    }

    @Test
    void givenSeveralCallsWhileSignInIsPending_acquireToken_runsOnlyOneSignIn() throws Exception {
        EntraPublicClient client = deviceCodeClient(SHORT_WAIT, Optional.empty());
        CallerIdentity alice = aliceAsSeenLocally();

        List<CompletableFuture<ToolFailure>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> catchFailure(() -> client.acquireToken(alice, Set.of("User.Read"))).failure()));
        }
        List<ToolFailure> failures = new ArrayList<>();
        for (CompletableFuture<ToolFailure> call : calls) {
            failures.add(call.get(20, TimeUnit.SECONDS));
        }

        assertThat(failures).allSatisfy(f -> assertThat(f.userMessage()).contains("with code CODE-1"));
        assertThat(entra.deviceCodeRequests()).isEqualTo(1);
        // The prompt is delivered from msal4j's device-code callback thread: wait for it, then
        // check that no second one came.
        assertThat(prompts.next(Duration.ofSeconds(10)).userCode()).contains("CODE-1");
        assertThat(prompts.all()).hasSize(1);
    }

    @Test
    void givenAPersistedCache_aSecondProcess_getsTokensSilentlyWithoutSigningInAgain() throws Exception {
        TokenCacheConfig cacheConfig = cacheConfig();
        EntraPublicClient first = signedInDeviceCodeClient(Optional.of(ProtectedTokenCache.open(cacheConfig)));
        AccessToken firstToken = first.acquireToken(aliceAsSeenLocally(), Set.of("User.Read"));
        first.close();

        EntraPublicClient second = deviceCodeClient(SHORT_WAIT, Optional.of(ProtectedTokenCache.open(cacheConfig)));
        CallerIdentity caller = second.currentCaller().orElseThrow();
        AccessToken secondToken = second.acquireToken(caller, Set.of("User.Read"));

        assertThat(secondToken.value()).isEqualTo(firstToken.value());
        assertThat(entra.deviceCodeRequests()).isEqualTo(1);
        assertThat(Files.readString(cacheConfig.cacheFile(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(secondToken.value()).doesNotContain("refresh");
    }

    @Test
    void givenAnExpiredAccessToken_acquireToken_refreshesSilently() throws Exception {
        entra.accessTokensLast(60); // msal4j refreshes tokens that expire within 5 minutes
        EntraPublicClient client = signedInDeviceCodeClient(Optional.empty());

        AccessToken first = client.acquireToken(aliceAsSeenLocally(), Set.of("User.Read"));
        AccessToken second = client.acquireToken(aliceAsSeenLocally(), Set.of("User.Read"));

        assertThat(second.value()).isNotEqualTo(first.value());
        assertThat(entra.tokenRequests("refresh_token")).isGreaterThanOrEqualTo(2);
        assertThat(entra.deviceCodeRequests()).isEqualTo(1);
    }

    @Test
    void givenAValidCachedAccessToken_refreshToken_getsANewOneFromEntraAndCachesIt() throws Exception {
        EntraPublicClient client = signedInDeviceCodeClient(Optional.empty());
        AccessToken cached = client.acquireToken(aliceAsSeenLocally(), Set.of("User.Read"));
        int refreshesBefore = entra.tokenRequests("refresh_token");

        AccessToken refreshed = client.refreshToken(aliceAsSeenLocally(), Set.of("User.Read"));

        assertThat(refreshed.value()).isNotEqualTo(cached.value());
        assertThat(entra.tokenRequests("refresh_token")).isEqualTo(refreshesBefore + 1);
        assertThat(client.acquireToken(aliceAsSeenLocally(), Set.of("User.Read")).value()).isEqualTo(refreshed.value());
        assertThat(entra.deviceCodeRequests()).isEqualTo(1);
    }

    @Test
    void givenEntraGrantsMoreScopesThanAskedFor_theCaller_hasOnlyThoseAskedFor_freshOrFromTheCache() throws Exception {
        PublicClientConfig config = PublicClientConfig.of(CLIENT_ID, entra.authority())
                .withScopes(Set.of("User.Read"))
                .withSignInMode(SignInMode.DEVICE_CODE)
                .withSignInWait(GENEROUS)
                .withSslSocketFactory(LoopbackTls.get().clientSocketFactory());
        TokenCacheConfig cacheConfig = cacheConfig();
        EntraPublicClient client = track(new EntraPublicClient(config, Optional.of(ProtectedTokenCache.open(cacheConfig)),
                prompts, Optional.empty(), Clock.systemUTC()));
        CompletableFuture<CallerIdentity> signingIn = CompletableFuture.supplyAsync(client::signIn);
        entra.approve(prompts.next(Duration.ofSeconds(10)).userCode().orElseThrow());

        CallerIdentity fresh = signingIn.get(15, TimeUnit.SECONDS); // Entra answered "User.Read Mail.Send openid profile"
        EntraPublicClient restarted = track(new EntraPublicClient(config, Optional.of(ProtectedTokenCache.open(cacheConfig)),
                prompts, Optional.empty(), Clock.systemUTC()));
        CallerIdentity fromTheCache = restarted.currentCaller().orElseThrow();

        assertThat(fresh.scopes()).containsExactly("User.Read");
        assertThat(fromTheCache.scopes()).containsExactly("User.Read");
    }

    @Test
    void givenRevokedRefreshTokens_acquireToken_promptsForANewSignIn() throws Exception {
        entra.accessTokensLast(60);
        EntraPublicClient client = signedInDeviceCodeClient(Optional.empty());
        entra.revokeRefreshTokens();

        ToolFailureException failure = catchFailure(() -> client.acquireToken(aliceAsSeenLocally(), Set.of("User.Read")));

        assertThat(failure.failure()).isInstanceOf(ToolFailure.SignInRequired.class);
        assertThat(failure.getMessage()).contains("with code CODE-2");
        assertThat(entra.deviceCodeRequests()).isEqualTo(2);
    }

    @Test
    void givenSignedInWithAPersistedCache_signOut_deletesTheCacheAndForgetsTheAccount() throws Exception {
        TokenCacheConfig cacheConfig = cacheConfig();
        EntraPublicClient client = signedInDeviceCodeClient(Optional.of(ProtectedTokenCache.open(cacheConfig)));
        assertThat(cacheConfig.cacheFile()).exists();

        client.signOut();

        assertThat(cacheConfig.cacheFile()).doesNotExist();
        assertThat(client.currentCaller()).isEmpty();
        EntraPublicClient restarted = deviceCodeClient(SHORT_WAIT, Optional.of(ProtectedTokenCache.open(cacheConfig)));
        assertThat(restarted.currentCaller()).isEmpty();
    }

    @Test
    void givenADeviceCodeFallbackPending_signOut_stopsIt_soACodeEnteredLaterSignsNobodyIn() throws Exception {
        PublicClientConfig config = PublicClientConfig.of(CLIENT_ID, entra.authority())
                .withSignInWait(SHORT_WAIT)
                .withSslSocketFactory(LoopbackTls.get().clientSocketFactory());
        BrowserLauncher broken = uri -> {
            throw new IOException("no display");
        };
        EntraPublicClient client = track(new EntraPublicClient(config, Optional.empty(), prompts, Optional.of(broken), Clock.systemUTC()));
        catchFailure(client::signIn);
        String code = prompts.next(Duration.ofSeconds(5)).userCode().orElseThrow();
        assertThat(entra.nextTokenRequestWithin(Duration.ofSeconds(5))).isTrue(); // it is polling

        client.signOut();
        entra.approve(code);
        // A poll already on its way when sign-out ran may still land (on a loaded machine, late): let it.
        entra.nextTokenRequestWithin(Duration.ofMillis(1200));

        // msal4j polls every second (the fake's interval): two and a half intervals without a poll means it stopped
        assertThat(entra.nextTokenRequestWithin(Duration.ofMillis(2500))).isFalse();
        assertThat(client.currentCaller()).isEmpty();
    }

    @Test
    void givenASignOutInAnotherProcess_currentCaller_forgetsTheInMemoryTokensToo() throws Exception {
        TokenCacheConfig cacheConfig = cacheConfig();
        EntraPublicClient here = signedInDeviceCodeClient(Optional.of(ProtectedTokenCache.open(cacheConfig)));
        EntraPublicClient elsewhere = deviceCodeClient(SHORT_WAIT, Optional.of(ProtectedTokenCache.open(cacheConfig)));
        assertThat(elsewhere.currentCaller()).isPresent();

        elsewhere.signOut();

        assertThat(here.currentCaller()).isEmpty();
        assertThat(cacheConfig.cacheFile()).doesNotExist();
    }

    // --- the remembered caller: used only while msal4j would answer from its cache unchanged ------

    @Test
    void givenACallerRemembered_aSignOutInAnotherProcess_isSeenByTheNextCall() throws Exception {
        TokenCacheConfig cacheConfig = cacheConfig();
        EntraPublicClient here = signedInDeviceCodeClient(Optional.of(ProtectedTokenCache.open(cacheConfig)));
        EntraPublicClient elsewhere = deviceCodeClient(SHORT_WAIT, Optional.of(ProtectedTokenCache.open(cacheConfig)));
        assertThat(here.signIn().principal().objectId()).isEqualTo(EntraMock.ALICE);
        assertThat(here.signIn().principal().objectId()).isEqualTo(EntraMock.ALICE);

        elsewhere.signOut();

        assertThat(here.currentCaller()).isEmpty();
        assertThat(catchFailure(here::signIn).failure()).isInstanceOf(ToolFailure.SignInRequired.class);
    }

    @Test
    void givenACallerRemembered_aNewSignInByAnotherProcess_isSeenByTheNextCall() throws Exception {
        TokenCacheConfig cacheConfig = cacheConfig();
        EntraPublicClient here = signedInDeviceCodeClient(Optional.of(ProtectedTokenCache.open(cacheConfig)));
        assertThat(here.signIn().displayName()).isEqualTo("Alice");
        EntraPublicClient elsewhere = deviceCodeClient(SHORT_WAIT, Optional.of(ProtectedTokenCache.open(cacheConfig)));
        elsewhere.signOut();
        entra.nameTheUser("Alice Renamed");

        signInByDeviceCode(elsewhere);

        assertThat(here.signIn().displayName()).isEqualTo("Alice Renamed");
    }

    @Test
    void givenACallerRemembered_signOutHere_forgetsIt_evenWithoutAPersistedCache() throws Exception {
        EntraPublicClient client = signedInDeviceCodeClient(Optional.empty());
        assertThat(client.signIn().principal().objectId()).isEqualTo(EntraMock.ALICE);

        client.signOut();

        assertThat(client.currentCaller()).isEmpty();
    }

    @Test
    void givenAnAccessTokenWithinFiveMinutesOfExpiry_everyCall_asksMsal4j_andSoSeesARevocation() throws Exception {
        entra.accessTokensLast(60); // inside msal4j's 5-minute renewal margin from the start
        EntraPublicClient client = signedInDeviceCodeClient(Optional.empty());
        int refreshesBefore = entra.tokenRequests("refresh_token");

        client.signIn();
        client.signIn();
        int refreshes = entra.tokenRequests("refresh_token") - refreshesBefore;
        entra.revokeRefreshTokens();

        assertThat(refreshes).isEqualTo(2);
        assertThat(catchFailure(client::signIn).failure()).isInstanceOf(ToolFailure.SignInRequired.class);
    }

    @Test
    void givenACallerRemembered_aTamperedCacheFile_isReportedByTheNextCall() throws Exception {
        TokenCacheConfig cacheConfig = cacheConfig();
        EntraPublicClient client = signedInDeviceCodeClient(Optional.of(ProtectedTokenCache.open(cacheConfig)));
        client.signIn();
        byte[] sealed = Files.readAllBytes(cacheConfig.cacheFile());
        sealed[sealed.length - 3] ^= 0x01;
        Files.write(cacheConfig.cacheFile(), sealed);

        try (LogCapture logs = LogCapture.all()) {
            client.currentCaller();

            assertThat(logs.warnings()).anySatisfy(w -> assertThat(w).contains("cannot be read"));
        }
    }

    @Test
    void givenACallerRemembered_aCacheFileMadeReadableByOthers_isRestrictedAgainByTheNextCall() throws Exception {
        TokenCacheConfig cacheConfig = cacheConfig();
        EntraPublicClient client = signedInDeviceCodeClient(Optional.of(ProtectedTokenCache.open(cacheConfig)));
        client.signIn();
        Files.setPosixFilePermissions(cacheConfig.cacheFile(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        CallerIdentity caller = client.signIn();

        assertThat(caller.principal().objectId()).isEqualTo(EntraMock.ALICE);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheConfig.cacheFile())))
                .isEqualTo("rw-------");
    }

    @Test
    void givenACorruptedCacheFile_signIn_warnsAndSignsInAfresh() throws Exception {
        TokenCacheConfig cacheConfig = cacheConfig();
        ProtectedTokenCache.open(cacheConfig).close();
        Files.write(cacheConfig.cacheFile(), "not a cache at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        try (LogCapture logs = LogCapture.all()) {
            EntraPublicClient client = deviceCodeClient(GENEROUS, Optional.of(ProtectedTokenCache.open(cacheConfig)));
            assertThat(client.currentCaller()).isEmpty();
            signInByDeviceCode(client);

            assertThat(logs.warnings()).anySatisfy(w -> assertThat(w).contains("cannot be read").contains("sign in again"));
        }
        EntraPublicClient restarted = deviceCodeClient(SHORT_WAIT, Optional.of(ProtectedTokenCache.open(cacheConfig)));
        assertThat(restarted.currentCaller()).isPresent();
    }

    @Test
    void givenAutoModeAndABrowserThatCannotOpen_signIn_fallsBackToTheDeviceCode() throws Exception {
        PublicClientConfig config = PublicClientConfig.of(CLIENT_ID, entra.authority())
                .withSignInWait(GENEROUS)
                .withSslSocketFactory(LoopbackTls.get().clientSocketFactory());
        BrowserLauncher broken = uri -> {
            throw new IOException("no display");
        };
        EntraPublicClient client = track(new EntraPublicClient(config, Optional.empty(), prompts, Optional.of(broken), Clock.systemUTC()));

        CompletableFuture<CallerIdentity> signingIn = CompletableFuture.supplyAsync(client::signIn);
        SignInPrompt prompt = prompts.next(Duration.ofSeconds(10));
        entra.approve(prompt.userCode().orElseThrow());

        assertThat(signingIn.get(15, TimeUnit.SECONDS).principal().objectId()).isEqualTo(EntraMock.ALICE);
        assertThat(prompts.all()).hasSize(1);
    }

    @Test
    void givenBrowserMode_signIn_runsTheAuthorizationCodeFlowWithPkceAgainstAnIndependentServer() throws Exception {
        try (EntraMock mock = EntraMock.start()) {
            LoopbackHttpClient http = new LoopbackHttpClient();
            HeadlessBrowser browser = new HeadlessBrowser();
            PublicClientConfig config = PublicClientConfig.of(CLIENT_ID, mock.authority())
                    .withSignInMode(SignInMode.BROWSER).withSignInWait(GENEROUS);
            EntraPublicClient client = track(new EntraPublicClient(config, Optional.empty(), prompts, Optional.of(browser),
                    Clock.systemUTC(), Optional.of(http)));

            CallerIdentity caller = client.signIn();

            String authorize = browser.lastUrl().getRawQuery();
            assertThat(authorize).contains("code_challenge_method=S256").contains("code_challenge=").contains("state=");
            LoopbackHttpClient.Sent redemption = http.tokenRequests().get(0);
            assertThat(redemption.grantType()).isEqualTo("authorization_code");
            assertThat(redemption.form()).containsKey("code_verifier");
            assertThat(caller.principal().objectId()).isEqualTo(EntraMock.ALICE);
            assertThat(caller.displayName()).isEqualTo("Alice");
            assertThat(caller.roles()).containsExactly("Mail.Sender");
            assertThat(prompts.all()).singleElement().satisfies(p -> {
                assertThat(p.userCode()).isEmpty();
                assertThat(p.verificationUri().getPath()).endsWith("/oauth2/v2.0/authorize");
            });
            assertThat(client.acquireToken(caller, Set.of("User.Read")).value()).isNotBlank();
            assertThat(browser.timesOpened()).isEqualTo(1);
        }
    }

    @Test
    void givenShortLivedTokensAtAnIndependentServer_acquireToken_refreshesThroughTheCachedAccount() throws Exception {
        try (EntraMock mock = EntraMock.startWithShortLivedTokensAndRotation()) {
            LoopbackHttpClient http = new LoopbackHttpClient();
            PublicClientConfig config = PublicClientConfig.of(CLIENT_ID, mock.authority())
                    .withSignInMode(SignInMode.BROWSER).withSignInWait(GENEROUS);
            EntraPublicClient client = track(new EntraPublicClient(config, Optional.empty(), prompts,
                    Optional.of(new HeadlessBrowser()), Clock.systemUTC(), Optional.of(http)));
            CallerIdentity caller = client.signIn();

            AccessToken refreshed = client.acquireToken(caller, Set.of("User.Read"));

            assertThat(http.tokenRequests()).extracting(LoopbackHttpClient.Sent::grantType)
                    .containsExactly("authorization_code", "refresh_token");
            assertThat(refreshed.value()).isNotBlank();
        }
    }

    private EntraPublicClient deviceCodeClient(Duration wait, Optional<ProtectedTokenCache> cache) {
        PublicClientConfig config = PublicClientConfig.of(CLIENT_ID, entra.authority())
                .withSignInMode(SignInMode.DEVICE_CODE)
                .withSignInWait(wait)
                .withSslSocketFactory(LoopbackTls.get().clientSocketFactory());
        return track(new EntraPublicClient(config, cache, prompts, Optional.empty(), Clock.systemUTC()));
    }

    private EntraPublicClient signedInDeviceCodeClient(Optional<ProtectedTokenCache> cache) throws Exception {
        EntraPublicClient client = deviceCodeClient(SHORT_WAIT, cache);
        signInByDeviceCode(client);
        return client;
    }

    /** Signs in whatever the client's wait: the call may give up, the background flow completes. */
    private void signInByDeviceCode(EntraPublicClient client) throws Exception {
        CompletableFuture.runAsync(() -> {
            try {
                client.signIn();
            } catch (ToolFailureException stillPending) {
                // the bound passed: the flow goes on in the background
            }
        });
        entra.approve(prompts.next(Duration.ofSeconds(10)).userCode().orElseThrow());
        awaitTrue(() -> client.currentCaller().isPresent(), Duration.ofSeconds(15));
    }

    private TokenCacheConfig cacheConfig() {
        return TokenCacheConfig.at(dir.resolve("cache").resolve("msal.cache")).withKeyPolicy(CacheKeyPolicy.KEY_FILE);
    }

    private static CallerIdentity aliceAsSeenLocally() {
        return Callers.aCaller().withObjectId(EntraMock.ALICE).viaClient(CLIENT_ID).withScopes("User.Read", "Mail.Send").build();
    }

    private EntraPublicClient track(EntraPublicClient client) {
        toClose.add(client);
        return client;
    }

    private static ToolFailureException catchFailure(Runnable call) {
        try {
            call.run();
        } catch (ToolFailureException failure) {
            return failure;
        }
        throw new AssertionError("expected a ToolFailureException");
    }

    private static void awaitTrue(Supplier<Boolean> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

}
