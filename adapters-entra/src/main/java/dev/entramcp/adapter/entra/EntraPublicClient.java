package dev.entramcp.adapter.entra;

import com.microsoft.aad.msal4j.DeviceCode;
import com.microsoft.aad.msal4j.DeviceCodeFlowParameters;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.InteractiveRequestParameters;
import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.SilentParameters;
import com.microsoft.aad.msal4j.SystemBrowserOptions;
import dev.entramcp.adapter.entra.cache.ProtectedTokenCache;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.model.SignInPrompt;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;
import dev.entramcp.domain.port.out.PromptUserSignInPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The local scenario's Entra public client: signs the person in and gets Graph tokens as them.
 *
 * <p><b>Sign-in chain.</b> (1) Silent, from the cached account: a valid access token, or a refresh.
 * (2) Otherwise the system browser with a loopback redirect (authorization code + PKCE), where a
 * browser can be opened. (3) Otherwise the device code flow. The prompt (URL, and the code for a
 * device code) reaches the person only through {@link PromptUserSignInPort}, never stdout, which
 * carries the protocol in the stdio scenario.
 *
 * <p><b>Decision: a tool call waits a bounded time, then answers.</b> A call that needs a sign-in
 * starts one (or joins the one already running: only one sign-in runs at a time) and waits up to
 * {@link PublicClientConfig#signInWait()} (45 s by default). If the person finishes in that time,
 * the call completes as if nothing happened. If not, it fails with
 * {@code SignInRequired("Sign in at <url> with code <code>, then call the tool again")} while the
 * sign-in keeps going in the background; once the person finishes, the tokens land in the cache and
 * the next call completes silently. So a client with a short request timeout still gets a clear
 * instruction, and one with a long timeout needs no second call. (If the bound passes before the
 * device code has even arrived, the call waits up to 10 s more for it: the answer must say where to
 * sign in.)
 *
 * <p><b>The caller.</b> {@link #signIn()} and {@link #currentCaller()} build the local
 * {@link CallerIdentity} from the signed-in account's ID token ({@code oid}, {@code tid},
 * {@code name}, {@code preferred_username}, {@code roles}), with this client's id as the client
 * application and the scopes asked for at sign-in that Entra granted (without their resource prefix).
 *
 * <p><b>A token Graph rejects.</b> {@link #refreshToken} gets a new access token even while msal4j
 * holds one that has not expired, for when Graph answered 401 to it.
 *
 * <p><b>Decision: the caller is remembered while msal4j would not ask Entra anyway.</b> Every tool
 * call asks for the caller. Asking msal4j each time costs two trips through its executor and two
 * locked reads of the encrypted cache, and the answer is the same until the access token is due
 * for renewal: msal4j answers from its cache without calling Entra while the access token has more
 * than 5 minutes to live (and its {@code refresh_in}, if any, has not passed), so a revocation or an
 * expiry is only seen then, with or without this memo. So {@link #signIn()} and
 * {@link #currentCaller()} keep the caller of the last silent acquisition until that moment, and
 * only while (1) the persisted cache file holds exactly the bytes it held before that acquisition
 * (a sign-out, a sign-in or a refresh by another process, or a tampered file, all change them, see
 * {@link ProtectedTokenCache#version()}), and (2) nothing in this process signed in or out since.
 * Otherwise they ask msal4j, as before. Graph tokens ({@link #acquireToken}) always come from msal4j.
 *
 * <p>Tokens are cached by msal4j, persisted (when a {@link ProtectedTokenCache} is given) encrypted
 * and owner-only. {@link #signOut()} removes the accounts and deletes the cache file.
 */
public final class EntraPublicClient implements AcquireDownstreamTokenPort, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EntraPublicClient.class);
    private static final java.time.Duration PROMPT_GRACE = java.time.Duration.ofSeconds(10);
    /** msal4j renews an access token this long before it expires (ACCESS_TOKEN_EXPIRE_BUFFER_IN_SEC). */
    static final java.time.Duration MSAL_RENEWAL_MARGIN = java.time.Duration.ofMinutes(5);

    private final PublicClientConfig config;
    private final Optional<ProtectedTokenCache> cache;
    private final PromptUserSignInPort prompts;
    private final Optional<BrowserLauncher> browser;
    private final Optional<IHttpClient> httpClient;
    private final Clock clock;
    private final ExecutorService executor = MsalExecutors.background("entra-public-client");
    private final Object signInLock = new Object();

    private volatile PublicClientApplication app;
    private PendingSignIn pending; // guarded by signInLock
    /** Bumped by every sign-out and every completed sign-in here: a remembered caller of an older one is void. */
    private final java.util.concurrent.atomic.AtomicLong signInGeneration = new java.util.concurrent.atomic.AtomicLong();
    private volatile RememberedCaller remembered;
    private volatile ParsedIdToken lastIdToken;

    /**
     * A public client with a persisted, protected cache, opening the desktop's browser when it can.
     *
     * @param config  client id, authority, scopes, sign-in mode and wait
     * @param cache   the protected token cache (see {@link ProtectedTokenCache#open})
     * @param prompts where sign-in prompts go (stderr, MCP notifications, elicitation)
     */
    public EntraPublicClient(PublicClientConfig config, ProtectedTokenCache cache, PromptUserSignInPort prompts) {
        this(config, Optional.of(cache), prompts, BrowserLauncher.systemBrowser(), Clock.systemUTC());
    }

    /**
     * A public client with explicit choices: no persisted cache ({@code Optional.empty()} keeps
     * tokens in memory only), and a browser of the caller's choosing (none: device code only in
     * {@code auto} mode).
     */
    public EntraPublicClient(PublicClientConfig config, Optional<ProtectedTokenCache> cache, PromptUserSignInPort prompts,
                             Optional<BrowserLauncher> browser, Clock clock) {
        this(config, cache, prompts, browser, clock, Optional.empty());
    }

    /** For tests that must see or shape the HTTP traffic (for example to add Entra's {@code client_info}). */
    EntraPublicClient(PublicClientConfig config, Optional<ProtectedTokenCache> cache, PromptUserSignInPort prompts,
                      Optional<BrowserLauncher> browser, Clock clock, Optional<IHttpClient> httpClient) {
        this.config = Objects.requireNonNull(config, "'config' must not be null");
        this.cache = Objects.requireNonNull(cache, "'cache' must not be null");
        this.prompts = Objects.requireNonNull(prompts, "'prompts' must not be null");
        this.browser = Objects.requireNonNull(browser, "'browser' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.httpClient = Objects.requireNonNull(httpClient, "'httpClient' must not be null");
        this.app = buildApplication();
    }

    /**
     * The signed-in person, signing them in if the cache cannot: waits up to the configured bound,
     * then fails with {@link ToolFailure.SignInRequired} naming the URL (and code) while the sign-in
     * goes on in the background.
     *
     * @throws ToolFailureException when the sign-in did not complete in time or failed
     */
    public CallerIdentity signIn() {
        return currentCaller().orElseGet(() -> toCaller(signInWithinBound(config.scopes()), config.scopes()));
    }

    /** The signed-in person, from the cache only (refreshing silently if needed); never prompts. */
    public Optional<CallerIdentity> currentCaller() {
        Optional<ProtectedTokenCache.Version> cacheVersion = cache.map(ProtectedTokenCache::version);
        long generation = signInGeneration.get();
        RememberedCaller memo = remembered;
        if (memo != null && memo.stillValid(clock.instant(), generation, cacheVersion)) {
            return Optional.of(memo.caller());
        }
        // The version and generation are taken before msal4j runs: a change made meanwhile makes the
        // next call ask again, never the other way round.
        Optional<IAuthenticationResult> result = silent(config.scopes(), Optional.empty(), false);
        Optional<CallerIdentity> caller = result.map(found -> toCaller(found, config.scopes()));
        if (caller.isPresent()) {
            remember(caller.get(), result.get(), generation, cacheVersion);
        }
        return caller;
    }

    /**
     * A Graph access token for the signed-in caller: silently if the cache allows, otherwise through
     * a sign-in bounded as {@link #signIn()} is.
     */
    @Override
    public AccessToken acquireToken(CallerIdentity caller, Set<String> scopes) {
        return acquire(caller, scopes, false);
    }

    /**
     * A Graph token that is <em>not</em> the cached one: msal4j redeems the refresh token at Entra
     * even though its cached access token has not expired ({@code forceRefresh}). For when Graph
     * rejected the cached token with 401 (its session was revoked, the password changed): msal4j
     * would otherwise hand back the same rejected token until it expires. If Entra refuses the
     * refresh token too, a sign-in starts, bounded as {@link #signIn()} is.
     */
    public AccessToken refreshToken(CallerIdentity caller, Set<String> scopes) {
        LOG.info("Graph rejected the cached access token: asking Entra for a new one");
        return acquire(caller, scopes, true);
    }

    private AccessToken acquire(CallerIdentity caller, Set<String> scopes, boolean forceRefresh) {
        Objects.requireNonNull(caller, "'caller' must not be null");
        Set<String> requested = scopes == null || scopes.isEmpty() ? config.scopes() : Set.copyOf(scopes);
        Optional<IAuthenticationResult> cached = silent(requested, Optional.of(caller.principal()), forceRefresh);
        if (cached.isPresent()) {
            return toAccessToken(cached.get());
        }
        Set<String> all = new LinkedHashSet<>(config.scopes());
        all.addAll(requested);
        IAuthenticationResult signedIn = signInWithinBound(all);
        PrincipalId who = idTokenClaims(signedIn.idToken()).principal();
        if (!who.equals(caller.principal())) {
            throw new ToolFailureException(new ToolFailure.SignInRequired(
                    "a different account signed in than the one this call was made for. Call the tool again."));
        }
        return toAccessToken(signedIn);
    }

    /** Cancels a sign-in in progress, removes every account and deletes the persisted cache. */
    public void signOut() {
        forgetCaller();
        cancelPendingSignIn();
        PublicClientApplication current = app;
        for (IAccount account : current.getAccounts().join()) {
            current.removeAccount(account).join();
        }
        cache.ifPresent(ProtectedTokenCache::delete);
        app = buildApplication();
        forgetCaller();
        LOG.info("Signed out: accounts removed and token cache deleted");
    }

    /**
     * Stops a background sign-in and waits for a cache write in progress, so the cache file is
     * consistent when the process exits (stdin EOF, SIGTERM). Every change was already written.
     * Stopping msal4j's threads interrupts them, but a write in progress does not stop for an
     * interrupt (the cache writes through a stream, not an interruptible channel), and
     * {@link ProtectedTokenCache#close()} waits for it under the cache lock. An access interrupted
     * before it took the lock never writes: the file keeps its previous, whole version.
     */
    @Override
    public void close() {
        cancelPendingSignIn();
        executor.shutdownNow();
        cache.ifPresent(ProtectedTokenCache::close);
    }

    private PublicClientApplication buildApplication() {
        try {
            PublicClientApplication.Builder builder = PublicClientApplication.builder(config.clientId())
                    .authority(config.authority().url())
                    .instanceDiscovery(config.authority().instanceDiscovery())
                    .executorService(executor);
            config.sslSocketFactory().ifPresent(builder::sslSocketFactory);
            httpClient.ifPresent(builder::httpClient);
            cache.ifPresent(builder::setTokenCacheAccessAspect);
            return builder.build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Invalid authority " + config.authority().url(), e);
        }
    }

    private Optional<IAuthenticationResult> silent(Set<String> scopes, Optional<PrincipalId> who, boolean forceRefresh) {
        if (cache.isPresent() && cache.get().wasDeletedElsewhere()) {
            // Signed out by another process: msal4j cannot forget in-memory tokens, so start afresh.
            LOG.info("The token cache was deleted by another process (sign-out): dropping in-memory tokens");
            app = buildApplication();
        }
        PublicClientApplication current = app;
        Optional<IAccount> account = current.getAccounts().join().stream()
                .filter(candidate -> who.map(p -> matches(candidate, p)).orElse(true))
                .min(Comparator.comparing(IAccount::homeAccountId));
        if (account.isEmpty()) {
            return Optional.empty();
        }
        try {
            // authorityUrl set explicitly: msal4j 1.26 otherwise rebuilds the refresh request's authority
            // from the cached account's environment, which has no port, and a refresh against a
            // stand-in on https://localhost:PORT goes to port 443 (found here; harmless on Entra).
            SilentParameters parameters = SilentParameters.builder(scopes, account.get())
                    .authorityUrl(config.authority().url())
                    .forceRefresh(forceRefresh)
                    .build();
            return Optional.of(current.acquireTokenSilently(parameters).join());
        } catch (CompletionException e) {
            Throwable cause = MsalFailures.unwrap(e);
            if (needsPerson(cause)) {
                LOG.info("Silent token acquisition needs the person ({})", describe(cause));
                return Optional.empty();
            }
            throw MsalFailures.toException(cause, Optional::empty, "silent token acquisition");
        } catch (MalformedURLException e) {
            throw new IllegalStateException("Invalid authority " + config.authority().url(), e);
        }
    }

    /** No usable token, refresh token expired or revoked, or new consent needed: sign in again. */
    private static boolean needsPerson(Throwable cause) {
        if (cause instanceof MsalServiceException service) {
            String error = Optional.ofNullable(service.errorCode()).orElse("");
            return "invalid_grant".equals(error) || "interaction_required".equals(error) || "consent_required".equals(error);
        }
        if (cause instanceof MsalClientException client) {
            return "cache_miss".equals(client.errorCode()) || "no_tokens_found".equals(client.errorCode());
        }
        return false;
    }

    private static String describe(Throwable cause) {
        if (cause instanceof MsalServiceException service) {
            return "error=" + service.errorCode() + MsalFailures.aadstsCode(service).map(c -> ", AADSTS" + c).orElse("");
        }
        if (cause instanceof MsalClientException client) {
            return "error=" + client.errorCode();
        }
        return cause.getClass().getSimpleName();
    }

    private static boolean matches(IAccount account, PrincipalId principal) {
        String home = account.homeAccountId() == null ? "" : account.homeAccountId().toLowerCase(Locale.ROOT);
        return home.equals(principal.objectId() + "." + principal.tenantId());
    }

    private IAuthenticationResult signInWithinBound(Set<String> scopes) {
        PendingSignIn signIn;
        synchronized (signInLock) {
            if (pending == null || pending.future.isDone()) {
                pending = start(scopes);
            }
            signIn = pending;
        }
        try {
            return signIn.future.get(config.signInWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillWaiting) {
            // The answer must say where to sign in: if the prompt is not out yet (fetching a device
            // code is one HTTP call), give it a few more seconds.
            signIn.awaitShown(PROMPT_GRACE);
            throw new ToolFailureException(new ToolFailure.SignInRequired(signIn.instruction()));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ToolFailureException(new ToolFailure.SignInRequired(signIn.instruction()));
        } catch (CancellationException cancelled) {
            throw new ToolFailureException(new ToolFailure.SignInRequired("the sign-in was cancelled. Call the tool again."));
        } catch (ExecutionException failed) {
            throw MsalFailures.toException(failed.getCause(), Optional::empty, signIn.description);
        }
    }

    private PendingSignIn start(Set<String> scopes) {
        boolean useBrowser = switch (config.signInMode()) {
            case BROWSER -> true;
            case DEVICE_CODE -> false;
            case AUTO -> browser.isPresent();
        };
        if (!useBrowser) {
            PendingSignIn signIn = new PendingSignIn("device code sign-in");
            signIn.future = deviceCode(scopes, signIn);
            return signIn;
        }
        PendingSignIn signIn = new PendingSignIn("browser sign-in");
        CompletableFuture<IAuthenticationResult> interactive = interactive(scopes, signIn);
        if (config.signInMode() == SignInMode.AUTO) {
            interactive = interactive.exceptionallyCompose(failure -> {
                if (signIn.browserFailed) {
                    LOG.info("The browser could not be opened; falling back to the device code flow");
                    signIn.description = "device code sign-in";
                    return deviceCode(scopes, signIn);
                }
                return CompletableFuture.failedFuture(failure);
            });
        }
        signIn.future = interactive;
        return signIn;
    }

    private CompletableFuture<IAuthenticationResult> deviceCode(Set<String> scopes, PendingSignIn signIn) {
        DeviceCodeFlowParameters parameters = DeviceCodeFlowParameters
                .builder(scopes, deviceCode -> signIn.show(devicePrompt(deviceCode)))
                .build();
        CompletableFuture<IAuthenticationResult> flow = app.acquireToken(parameters);
        signIn.flows.add(flow);
        flow.whenComplete((result, failure) -> forgetCaller());
        return flow;
    }

    private CompletableFuture<IAuthenticationResult> interactive(Set<String> scopes, PendingSignIn signIn) {
        BrowserLauncher launcher = browser.orElse(uri -> {
            throw new java.io.IOException("no browser can be opened from this process");
        });
        SystemBrowserOptions options = SystemBrowserOptions.builder()
                .openBrowserAction(url -> openBrowser(launcher, url, signIn))
                .build();
        InteractiveRequestParameters parameters = InteractiveRequestParameters.builder(config.redirectUri())
                .scopes(scopes)
                .systemBrowserOptions(options)
                .httpPollingTimeoutInSeconds((int) Math.min(Integer.MAX_VALUE, config.interactiveTimeout().toSeconds()))
                .build();
        CompletableFuture<IAuthenticationResult> flow = app.acquireToken(parameters);
        signIn.flows.add(flow);
        flow.whenComplete((result, failure) -> forgetCaller());
        return flow;
    }

    private void openBrowser(BrowserLauncher launcher, URL url, PendingSignIn signIn) {
        URI uri;
        try {
            uri = url.toURI();
            launcher.open(uri);
        } catch (URISyntaxException | java.io.IOException | RuntimeException failed) {
            signIn.browserFailed = true;
            throw new IllegalStateException("The browser could not be opened (" + failed.getClass().getSimpleName() + ")");
        }
        signIn.show(new SignInPrompt(uri, Optional.empty(),
                "Sign in in the browser window that just opened. If none opened, open " + uri,
                clock.instant().plus(config.interactiveTimeout())));
    }

    private SignInPrompt devicePrompt(DeviceCode deviceCode) {
        URI uri = URI.create(deviceCode.verificationUri());
        Instant expiresAt = clock.instant().plusSeconds(Math.max(1, deviceCode.expiresIn()));
        return new SignInPrompt(uri, Optional.of(deviceCode.userCode()),
                "To sign in, open " + uri + " and enter the code " + deviceCode.userCode() + ".", expiresAt);
    }

    /**
     * Cancels the sign-in in progress, and each msal4j flow under it (msal4j stops polling a
     * cancelled device code), so that a code the person enters after a sign-out signs nobody in.
     */
    private void cancelPendingSignIn() {
        synchronized (signInLock) {
            if (pending != null) {
                pending.flows.forEach(flow -> flow.cancel(true));
                if (pending.future != null) {
                    pending.future.cancel(true);
                }
            }
            pending = null;
        }
    }

    /**
     * The caller from the ID token, with the scopes granted among those asked for at sign-in (see
     * {@link GrantedScopes#granted}). Entra grants every scope of the resource that was consented
     * to, asked for or not, but msal4j reports a token's scopes only when it comes from Entra, not
     * from its cache (then it reports the scopes asked for): keeping only the scopes asked for gives
     * the same caller either way, so a tool does not appear after a sign-in and vanish after a restart.
     */
    private CallerIdentity toCaller(IAuthenticationResult result, Set<String> requested) {
        Set<String> asked = GrantedScopes.unprefixed(String.join(" ", requested));
        java.util.SortedSet<String> granted = GrantedScopes.granted(result.scopes(), requested);
        granted.retainAll(asked);
        return idTokenClaims(result.idToken()).toCaller(config.clientId(), granted);
    }

    /** The claims of an ID token, parsed once: msal4j hands back the same ID token until it gets a new one. */
    private IdTokenClaims idTokenClaims(String idToken) {
        ParsedIdToken last = lastIdToken;
        if (last != null && last.idToken().equals(idToken)) {
            return last.claims();
        }
        IdTokenClaims claims = IdTokenClaims.parse(idToken);
        lastIdToken = new ParsedIdToken(idToken, claims);
        return claims;
    }

    /**
     * Remembers the caller of a silent acquisition until msal4j would renew its access token: 5
     * minutes before it expires, or at its {@code refresh_in} if that comes first.
     */
    private void remember(CallerIdentity caller, IAuthenticationResult result, long generation,
                          Optional<ProtectedTokenCache.Version> cacheVersion) {
        if (result.expiresOnDate() == null) {
            return;
        }
        Instant until = result.expiresOnDate().toInstant().minus(MSAL_RENEWAL_MARGIN);
        Long refreshOn = result.metadata() == null ? null : result.metadata().refreshOn();
        if (refreshOn != null && refreshOn > 0 && Instant.ofEpochSecond(refreshOn).isBefore(until)) {
            until = Instant.ofEpochSecond(refreshOn);
        }
        remembered = new RememberedCaller(caller, until, generation, cacheVersion);
    }

    private void forgetCaller() {
        signInGeneration.incrementAndGet();
        remembered = null;
    }

    private static AccessToken toAccessToken(IAuthenticationResult result) {
        return AccessToken.of(result.accessToken(), result.expiresOnDate().toInstant());
    }

    /** The caller of a silent acquisition, and what must still hold for it to be used again. */
    private record RememberedCaller(CallerIdentity caller, Instant until, long generation,
                                    Optional<ProtectedTokenCache.Version> cacheVersion) {

        boolean stillValid(Instant now, long currentGeneration, Optional<ProtectedTokenCache.Version> currentVersion) {
            return now.isBefore(until) && generation == currentGeneration && cacheVersion.equals(currentVersion);
        }
    }

    private record ParsedIdToken(String idToken, IdTokenClaims claims) {
    }

    /** The one sign-in in progress: its future, and the prompt shown to the person, once known. */
    private final class PendingSignIn {
        private volatile CompletableFuture<IAuthenticationResult> future;
        private volatile SignInPrompt shown;
        private volatile boolean browserFailed;
        private volatile String description;
        private final java.util.List<CompletableFuture<IAuthenticationResult>> flows = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.concurrent.CountDownLatch shownLatch = new java.util.concurrent.CountDownLatch(1);

        private PendingSignIn(String description) {
            this.description = description;
        }

        private void awaitShown(java.time.Duration grace) {
            try {
                shownLatch.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void show(SignInPrompt prompt) {
            shown = prompt;
            shownLatch.countDown();
            try {
                prompts.prompt(prompt);
            } catch (RuntimeException failed) {
                // The prompt also travels in the SignInRequired answer; a broken channel must not end the sign-in.
                LOG.warn("The sign-in prompt could not be delivered ({})", failed.getClass().getSimpleName());
            }
        }

        private String instruction() {
            SignInPrompt prompt = shown;
            if (prompt == null) {
                return "a sign-in has started; follow the sign-in prompt, then call the tool again.";
            }
            return prompt.userCode()
                    .map(code -> "Sign in at " + prompt.verificationUri() + " with code " + code + ", then call the tool again.")
                    .orElse("Finish signing in in the browser window that opened (or open " + prompt.verificationUri()
                            + "), then call the tool again.");
        }
    }
}
