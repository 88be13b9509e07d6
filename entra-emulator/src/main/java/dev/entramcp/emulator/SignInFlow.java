package dev.entramcp.emulator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a person signs in: {@code /{tenant}/oauth2/v2.0/authorize} (authorization code with PKCE, response
 * modes {@code query} and {@code form_post}) and {@code /devicelogin} (the device-code page), both through the
 * same pick-a-user and consent pages.
 *
 * <p>Each sign-in is a transaction bound to the browser's session cookie; every form carries a CSRF token
 * derived from that session and the step (an HMAC, so a page from another browser or another step is refused).
 * A redirect URI is checked before anything is sent to it: an unknown client or redirect URI gets an error
 * page, never a redirect. With auto-approval on, the named user signs in and consents without any page.
 */
final class SignInFlow {

    static final String SESSION_COOKIE = "entra_emulator_session";
    private static final Duration TRANSACTION_LIFETIME = Duration.ofMinutes(15);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One sign-in in progress: an authorize request, or a device code being approved. */
    private static final class Transaction {
        final String id = TokenMinter.opaque(24);
        final String session;
        final AppRegistration client;
        final ScopeRequest scopes;
        final Instant expiresAt;
        final boolean forceConsent;
        final Redirect redirect;
        final String nonce;
        final String codeChallenge;
        final DeviceAuthorization device;
        volatile DemoUser user;
        volatile List<ConsentPolicy.Item> pending;

        Transaction(String session, AppRegistration client, ScopeRequest scopes, Instant expiresAt, boolean forceConsent,
                    Redirect redirect, String nonce, String codeChallenge, DeviceAuthorization device) {
            this.session = session;
            this.client = client;
            this.scopes = scopes;
            this.expiresAt = expiresAt;
            this.forceConsent = forceConsent;
            this.redirect = redirect;
            this.nonce = nonce;
            this.codeChallenge = codeChallenge;
            this.device = device;
        }
    }

    /** Where and how an authorize result goes back to the client; {@code state} is echoed untouched. */
    private record Redirect(String uri, boolean formPost, String state) {
    }

    private final Settings settings;
    private final Directory directory;
    private final GrantStore store;
    private final ConsentPolicy consent;
    private final Records records;
    private final Switches switches;
    private final SecretKeySpec csrfKey;
    private final Map<String, Transaction> transactions = new ConcurrentHashMap<>();
    private final Map<String, String> sessionUsers = new ConcurrentHashMap<>();

    SignInFlow(Settings settings, Directory directory, GrantStore store, ConsentPolicy consent, Records records,
               Switches switches) {
        this.settings = settings;
        this.directory = directory;
        this.store = store;
        this.consent = consent;
        this.records = records;
        this.switches = switches;
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        this.csrfKey = new SecretKeySpec(key, "HmacSHA256");
    }

    // ---------------------------------------------------------------- authorize

    void authorize(HttpCall call) {
        if (!"GET".equals(call.method())) {
            errorPage(call, 405, EntraError.invalidRequest(900561, "The authorize endpoint accepts GET requests."));
            return;
        }
        Map<String, String> q;
        try {
            q = call.query();
        } catch (EntraError e) {
            errorPage(call, 400, e);
            return;
        }
        String clientId = q.get("client_id");
        if (clientId == null) {
            errorPage(call, 400, EntraError.missingParameter("client_id"));
            return;
        }
        Optional<AppRegistration> found = directory.app(clientId);
        if (found.isEmpty()) {
            errorPage(call, 400, EntraError.unauthorizedClient(700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '" + settings.tenantId() + "'."));
            return;
        }
        AppRegistration client = found.get();
        String redirectUri = q.get("redirect_uri");
        if (redirectUri == null) {
            errorPage(call, 400, EntraError.missingParameter("redirect_uri"));
            return;
        }
        if (!client.acceptsRedirectUri(redirectUri)) {
            errorPage(call, 400, EntraError.invalidRequest(50011, "The redirect URI '" + redirectUri + "' specified"
                    + " in the request does not match the redirect URIs configured for the application '"
                    + client.clientId() + "'. Make sure the redirect URI sent in the request matches one added to"
                    + " your application in the Azure portal."));
            return;
        }
        String mode = q.getOrDefault("response_mode", "query");
        // From here on, errors go back to the (verified) redirect URI.
        Redirect redirect = new Redirect(redirectUri, "form_post".equals(mode), q.get("state"));
        try {
            if (!"query".equals(mode) && !"form_post".equals(mode)) {
                throw EntraError.invalidRequest(90023, "The response_mode '" + mode + "' is not supported by the"
                        + " emulator; use 'query' or 'form_post'.");
            }
            String responseType = q.get("response_type");
            if (responseType == null) {
                throw EntraError.missingParameter("response_type");
            }
            if (!"code".equals(responseType)) {
                throw new EntraError(400, "unsupported_response_type", 700054, "response_type '" + responseType
                        + "' is not enabled for the application: use the authorization code flow with PKCE.", null);
            }
            ScopeRequest scopes = ScopeRequest.parse(q.get("scope"), directory);
            String challenge = q.get("code_challenge");
            String method = q.get("code_challenge_method");
            if (challenge == null && client.publicClient()) {
                throw EntraError.invalidRequest(9002325, "Proof Key for Code Exchange is required for this public"
                        + " client: send code_challenge and code_challenge_method=S256.");
            }
            if (challenge != null && !"S256".equals(method)) {
                throw EntraError.invalidRequest(90023, "code_challenge_method must be 'S256'; the emulator refuses"
                        + " 'plain' and a missing method.");
            }
            if (challenge != null && !challenge.matches("[A-Za-z0-9_-]{43}")) {
                throw EntraError.invalidRequest(501491, "Invalid size of Code_Challenge parameter: an S256 challenge"
                        + " is 43 base64url characters.");
            }
            String prompt = q.get("prompt");
            if (prompt != null && !Set.of("none", "login", "consent", "select_account").contains(prompt)) {
                throw EntraError.invalidRequest(90023, "Invalid value '" + prompt + "' for the prompt parameter.");
            }
            String session = ensureSession(call);
            Transaction t = new Transaction(session, client, scopes, settings.clock().instant()
                    .plus(TRANSACTION_LIFETIME), "consent".equals(prompt), redirect, q.get("nonce"), challenge, null);
            Optional<DemoUser> auto = switches.autoApprove().flatMap(directory::user);
            if (auto.isPresent()) {
                t.user = auto.get();
                consent.grant(t.user, consent.needed(t.user, client, scopes, t.forceConsent));
                completeAuthorize(call, t);
                return;
            }
            if ("none".equals(prompt)) {
                silent(call, t, q.get("login_hint"));
                return;
            }
            purge();
            transactions.put(t.id, t);
            call.html(200, Pages.login(client.displayName(), t.id, csrf(session, "login", t.id), directory.users(),
                    null), null, null);
        } catch (EntraError e) {
            deliverError(call, redirect, e.error(), e.description());
        }
    }

    /** {@code prompt=none}: complete from the browser session, or say why a person is needed (OIDC 3.1.2.6). */
    private void silent(HttpCall call, Transaction t, String loginHint) {
        Optional<DemoUser> signedIn = Optional.ofNullable(sessionUsers.get(t.session)).flatMap(directory::user);
        if (signedIn.isEmpty()) {
            deliverError(call, t.redirect, "login_required", "AADSTS50058: A silent sign-in request was sent but no"
                    + " user is signed in.");
            return;
        }
        if (loginHint != null && !signedIn.get().answersTo(loginHint)) {
            deliverError(call, t.redirect, "interaction_required", "AADSTS16000: Either multiple user identities are"
                    + " available for the current request or selected account is not supported for the scenario.");
            return;
        }
        t.user = signedIn.get();
        if (!consent.needed(t.user, t.client, t.scopes, t.forceConsent).isEmpty()) {
            deliverError(call, t.redirect, "consent_required", EntraError.consentRequired(t.client).description());
            return;
        }
        completeAuthorize(call, t);
    }

    private void completeAuthorize(HttpCall call, Transaction t) {
        transactions.remove(t.id);
        records.signIn(t.user.username());
        sessionUsers.put(t.session, t.user.objectId());
        String code = store.issueCode(new GrantStore.AuthorizationCode(t.client.clientId(), t.redirect.uri(),
                t.codeChallenge, t.nonce, t.user.objectId(), t.scopes,
                settings.clock().instant().plus(settings.authorizationCodeLifetime())));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        if (t.redirect.state() != null) {
            params.put("state", t.redirect.state());
        }
        params.put("session_state", TokenMinter.opaque(16));
        deliver(call, t.redirect, params);
    }

    // ---------------------------------------------------------------- device code

    /** With auto-approval on, a new device code is approved at once by the named user. */
    void autoApproveDevice(DeviceAuthorization device, AppRegistration client) {
        Optional<DemoUser> auto = switches.autoApprove().flatMap(directory::user);
        if (auto.isPresent()) {
            consent.grant(auto.get(), consent.needed(auto.get(), client, device.scopes, false));
            if (device.approve(auto.get(), settings.clock().instant())) {
                records.signIn(auto.get().username());
            }
        }
    }

    /** {@code GET /devicelogin} shows the code form ({@code ?otc=} prefills it); {@code POST} starts the sign-in. */
    void deviceLogin(HttpCall call) {
        String session = ensureSession(call);
        if ("GET".equals(call.method())) {
            String prefilled;
            try {
                prefilled = call.query().get("otc");
            } catch (EntraError e) {
                prefilled = null;
            }
            call.html(200, Pages.enterCode(csrf(session, "devicelogin", ""), prefilled, null), null, null);
            return;
        }
        if (!"POST".equals(call.method())) {
            call.html(405, Pages.message("Not allowed", "Use the form."), null, null);
            return;
        }
        Map<String, String> form = call.form();
        if (!csrfMatches(call, session, "devicelogin", "", form.get("csrf"))) {
            call.html(403, Pages.enterCode(csrf(session, "devicelogin", ""), null,
                    "This form expired. Enter the code again."), null, null);
            return;
        }
        Instant now = settings.clock().instant();
        Optional<DeviceAuthorization> device = store.userCode(form.get("user_code")).filter(d -> d.isPending(now));
        if (device.isEmpty()) {
            call.html(400, Pages.enterCode(csrf(session, "devicelogin", ""), null, "That code didn't work. Check"
                    + " the code and try again."), null, null);
            return;
        }
        AppRegistration client = directory.app(device.get().clientId).orElseThrow();
        Transaction t = new Transaction(session, client, device.get().scopes, device.get().expiresAt, false, null,
                null, null, device.get());
        purge();
        transactions.put(t.id, t);
        call.html(200, Pages.login(client.displayName(), t.id, csrf(session, "login", t.id), directory.users(), null),
                null, null);
    }

    private void completeDevice(HttpCall call, Transaction t) {
        transactions.remove(t.id);
        if (!t.device.approve(t.user, settings.clock().instant())) {
            call.html(400, Pages.message("Code expired", "This code has expired or was already used. Start again"
                    + " on your device."), null, null);
            return;
        }
        records.signIn(t.user.username());
        sessionUsers.put(t.session, t.user.objectId());
        call.html(200, Pages.message("You're signed in", "You have signed in to the " + t.client.displayName()
                + " application on your device. You may now close this window."), null, null);
    }

    // ---------------------------------------------------------------- the pages' forms

    /** {@code POST /ui/login}: a user was picked (or the sign-in cancelled). */
    void login(HttpCall call) {
        Map<String, String> form = call.form();
        Transaction t = transactionFor(call, form, "login");
        if (t == null) {
            return;
        }
        if (form.containsKey("cancel")) {
            declined(call, t);
            return;
        }
        Optional<DemoUser> user = directory.user(form.get("username"));
        if (user.isEmpty()) {
            call.html(400, Pages.login(t.client.displayName(), t.id, csrf(t.session, "login", t.id),
                    directory.users(), "No such user in this tenant."), null, null);
            return;
        }
        t.user = user.get();
        List<ConsentPolicy.Item> needed;
        try {
            needed = consent.needed(t.user, t.client, t.scopes, t.forceConsent);
        } catch (EntraError e) {
            transactions.remove(t.id);
            fail(call, t, e);
            return;
        }
        if (needed.isEmpty()) {
            complete(call, t);
            return;
        }
        t.pending = needed;
        call.html(200, Pages.consent(t.user, t.id, csrf(t.session, "consent", t.id), needed), null, null);
    }

    /** {@code POST /ui/consent}: accepted or declined. */
    void consent(HttpCall call) {
        Map<String, String> form = call.form();
        Transaction t = transactionFor(call, form, "consent");
        if (t == null) {
            return;
        }
        if (t.user == null || t.pending == null) {
            call.html(400, Pages.message("Sign-in out of order", "Pick a user first."), null, null);
            return;
        }
        if (!"accept".equals(form.get("decision"))) {
            declined(call, t);
            return;
        }
        consent.grant(t.user, t.pending);
        complete(call, t);
    }

    private void complete(HttpCall call, Transaction t) {
        if (t.device != null) {
            completeDevice(call, t);
        } else {
            completeAuthorize(call, t);
        }
    }

    private void declined(HttpCall call, Transaction t) {
        transactions.remove(t.id);
        if (t.device != null) {
            t.device.decline(settings.clock().instant());
            call.html(200, Pages.message("Sign-in cancelled", "You declined to sign in to "
                    + t.client.displayName() + ". You may close this window."), null, null);
            return;
        }
        deliverError(call, t.redirect, "access_denied", "AADSTS65004: User declined to consent to access the app.");
    }

    private void fail(HttpCall call, Transaction t, EntraError e) {
        if (t.device != null) {
            call.html(e.status(), Pages.message("Sign-in failed", e.description()), null, null);
        } else {
            deliverError(call, t.redirect, e.error(), e.description());
        }
    }

    /** The transaction a form belongs to, if this browser started it and the CSRF token is right for the step. */
    private Transaction transactionFor(HttpCall call, Map<String, String> form, String step) {
        String id = form.get("txn");
        Transaction t = id == null ? null : transactions.get(id);
        if (t == null || !settings.clock().instant().isBefore(t.expiresAt)) {
            call.html(400, Pages.message("Sign-in expired", "This sign-in is unknown or has expired. Start again"
                    + " from the application."), null, null);
            return null;
        }
        if (!call.cookie(SESSION_COOKIE).map(t.session::equals).orElse(false)
                || !csrfMatches(call, t.session, step, t.id, form.get("csrf"))) {
            call.html(403, Pages.message("Request refused", "This form was not sent by the browser that started"
                    + " the sign-in (CSRF protection)."), null, null);
            return null;
        }
        return t;
    }

    // ---------------------------------------------------------------- delivery

    private void deliver(HttpCall call, Redirect redirect, Map<String, String> params) {
        if (redirect.formPost()) {
            URI target = URI.create(redirect.uri());
            String origin = target.getScheme() + "://" + target.getRawAuthority();
            call.html(200, Pages.formPost(redirect.uri(), params), origin, Pages.AUTO_SUBMIT_HASH);
            return;
        }
        StringBuilder location = new StringBuilder(redirect.uri()).append(redirect.uri().contains("?") ? '&' : '?');
        boolean first = true;
        for (Map.Entry<String, String> param : params.entrySet()) {
            if (!first) {
                location.append('&');
            }
            first = false;
            location.append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
        }
        call.redirect(location.toString());
    }

    private void deliverError(HttpCall call, Redirect redirect, String error, String description) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error);
        params.put("error_description", description + "\r\nTrace ID: " + call.requestId() + "\r\nCorrelation ID: "
                + call.correlationId() + "\r\nTimestamp: " + EntraErrors.timestamp(settings.clock().instant()));
        if (redirect.state() != null) {
            params.put("state", redirect.state());
        }
        deliver(call, redirect, params);
    }

    private void errorPage(HttpCall call, int status, EntraError e) {
        call.html(status, Pages.message("Sorry, but we're having trouble signing you in.", e.description()
                + " Trace ID: " + call.requestId()), null, null);
    }

    // ---------------------------------------------------------------- session and CSRF

    private String ensureSession(HttpCall call) {
        Optional<String> existing = call.cookie(SESSION_COOKIE).filter(v -> v.matches("[A-Za-z0-9_-]{43}"));
        if (existing.isPresent()) {
            return existing.get();
        }
        String session = TokenMinter.opaque(32);
        call.addHeader("Set-Cookie", SESSION_COOKIE + "=" + session + "; Path=/; Secure; HttpOnly; SameSite=Lax");
        return session;
    }

    private String csrf(String session, String step, String txn) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(csrfKey);
            byte[] tag = mac.doFinal((session + "|" + step + "|" + txn).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean csrfMatches(HttpCall call, String session, String step, String txn, String presented) {
        return presented != null && call.cookie(SESSION_COOKIE).map(session::equals).orElse(false)
                && MessageDigest.isEqual(csrf(session, step, txn).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    private void purge() {
        Instant now = settings.clock().instant();
        transactions.values().removeIf(t -> !now.isBefore(t.expiresAt));
    }
}
