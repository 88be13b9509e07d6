package dev.entramcp.adapter.http.facade;

import dev.entramcp.adapter.http.facade.store.RecordKeys;
import dev.entramcp.adapter.http.facade.store.SealedRecords;
import dev.entramcp.domain.model.RefreshToken;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UpstreamAuthorizationRequest;
import dev.entramcp.domain.model.UpstreamSignIn;
import dev.entramcp.domain.port.out.UpstreamAuthorizationPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The browser's way through the facade, from the MCP client's {@code /authorize} request to the
 * authorization code it gets back, with the person's consent and Entra's sign-in in between:
 *
 * <ol>
 *   <li>{@link #authorize}: the request is checked. An unknown client or a redirect URI that is not
 *       registered gets an error <em>page</em>, never a redirect (sending the browser to an
 *       unverified URI would make this server an open redirector). Other errors belong to the
 *       client, at its registered redirect URI with {@code error} (RFC 6749 section 4.1.2.1), but
 *       anyone may register a client (DCR is open, a metadata document is anyone's), so a
 *       registered URI is not a trusted one: before the person has seen anything, the browser is
 *       sent back automatically only to a loopback redirect URI (the person's own machine); an
 *       https one gets an error page that names its host and offers an explicit link (RFC 9700
 *       section 4.11.2, the MCP authorization spec's "Open Redirection"). PKCE S256 and
 *       {@code state} are required; {@code resource}, if sent, must name this server.</li>
 *   <li>The consent page names the client, the scopes and where the browser goes next. Its form
 *       carries a one-time ticket and a CSRF token, and the ticket is bound to this browser by a
 *       {@code __Host-} cookie ({@code Secure; Path=/; SameSite=Strict; HttpOnly}): a consent
 *       that another site makes the browser post is refused.</li>
 *   <li>{@link #consent}: only now is the browser sent to Entra, with the server's own
 *       {@code state}, {@code nonce} and PKCE verifier (none of them the client's). The same answer
 *       sets a sign-in cookie that binds this {@code state} to this browser (see below).</li>
 *   <li>{@link #callback}: Entra posts the result ({@code response_mode=form_post}); the state is
 *       taken (single use, at most ten minutes old), the browser must present the sign-in cookie
 *       of that very state, the code is redeemed, and the client gets its own short-lived,
 *       single-use code, bound to its id, redirect URI and PKCE challenge. The Entra tokens travel
 *       inside that code's sealed record until the client redeems it.</li>
 * </ol>
 *
 * <h2>Why the upstream {@code state} is bound to the browser</h2>
 * Without it, {@code state} alone would identify the sign-in, and whoever completes it would get
 * its result. An attacker could register a client, consent to it in his own browser, stop at the
 * redirect to Entra and send that (genuine Microsoft) URL to a victim: Entra's single sign-on
 * would post the victim's code with the attacker's {@code state} to the callback, and the
 * facade would send a code for the victim to the attacker's redirect URI (a confused deputy:
 * MCP Security Best Practices, "OAuth State Parameter Validation"). So {@link #consent} sets a
 * random {@code __Host-} cookie whose SHA-256 is kept in the state's record, and
 * {@link #callback} compares them in constant time before doing anything else; on a mismatch the
 * browser gets an error page, never a redirect to the client. Entra's {@code form_post} is a
 * cross-site {@code POST}, so the cookie is {@code SameSite=None} (ADR 0003 says why that and
 * not a second, same-site step); it grants nothing by itself, anywhere else. Each sign-in has its
 * own cookie name (derived from its state), so two sign-ins in one browser do not overwrite each
 * other's binding, and the callback clears it.
 */
final class AuthorizationFlow {

    static final String AUTHORIZE_PATH = "/authorize";
    static final String CONSENT_PATH = "/authorize/consent";
    /** The cookie binding a consent page to the browser it was shown in. */
    static final String BROWSER_COOKIE = "__Host-entramcp-consent";
    /**
     * The consent {@code POST}'s refusal of {@code Origin: null}: the consent page's
     * {@code Referrer-Policy: same-origin} makes a browser send this server's real origin, so a
     * {@code null} one comes from elsewhere (a sandboxed frame, a {@code data:} or file page).
     */
    static final String ORIGIN_NULL_REFUSED = "This form did not come from this server's consent page: "
            + "the browser sent it from an opaque origin (Origin: null).";
    /** The prefix of the cookie binding an upstream sign-in (its {@code state}) to the browser that consented. */
    static final String SIGN_IN_COOKIE_PREFIX = "__Host-entramcp-signin-";

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationFlow.class);
    private static final int MAX_STATE_LENGTH = 1024;

    private final FacadeSettings settings;
    private final Clients clients;
    private final SealedRecords records;
    private final UpstreamAuthorizationPort upstream;
    private final String upstreamOrigin;
    private final String serverName;
    private final RequestLimits limits;
    private final Clock clock;

    AuthorizationFlow(FacadeSettings settings, Clients clients, SealedRecords records, UpstreamAuthorizationPort upstream,
                      String upstreamOrigin, String serverName, RequestLimits limits, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "'settings' must not be null");
        this.clients = Objects.requireNonNull(clients, "'clients' must not be null");
        this.records = Objects.requireNonNull(records, "'records' must not be null");
        this.upstream = Objects.requireNonNull(upstream, "'upstream' must not be null");
        this.upstreamOrigin = Objects.requireNonNull(upstreamOrigin, "'upstreamOrigin' must not be null");
        this.serverName = Objects.requireNonNull(serverName, "'serverName' must not be null");
        this.limits = Objects.requireNonNull(limits, "'limits' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    }

    /** What the browser is answered. */
    sealed interface Answer {

        /** The cookies to set (or clear) with the answer. */
        List<BrowserCookie> cookies();

        /** The same answer, setting (or clearing) one cookie more. */
        Answer withCookie(BrowserCookie cookie);

        /**
         * An HTML page.
         *
         * @param formTargets origins (besides this server) the page's form may lead to
         * @param cookies     the cookies to set or clear
         */
        record Page(int status, String html, List<String> formTargets, List<BrowserCookie> cookies) implements Answer {
            public Page {
                formTargets = List.copyOf(formTargets);
                cookies = List.copyOf(cookies);
            }

            @Override
            public Page withCookie(BrowserCookie cookie) {
                return new Page(status, html, formTargets, plus(cookies, cookie));
            }
        }

        /** A redirect ({@code 302} after a {@code GET}, {@code 303} after a {@code POST}). */
        record Redirect(int status, URI location, List<BrowserCookie> cookies) implements Answer {
            public Redirect {
                Objects.requireNonNull(location, "'location' must not be null");
                cookies = List.copyOf(cookies);
            }

            Redirect(int status, URI location) {
                this(status, location, List.of());
            }

            @Override
            public Redirect withCookie(BrowserCookie cookie) {
                return new Redirect(status, location, plus(cookies, cookie));
            }
        }

        private static List<BrowserCookie> plus(List<BrowserCookie> cookies, BrowserCookie cookie) {
            List<BrowserCookie> more = new ArrayList<>(cookies);
            more.add(cookie);
            return more;
        }
    }

    /**
     * A {@code __Host-} cookie of this server: always {@code Secure}, {@code HttpOnly},
     * {@code Path=/} and without {@code Domain} (what the prefix requires, so no sibling host can
     * set or overwrite it). An empty value with a zero lifetime clears it.
     *
     * @param crossSite whether the browser sends it on cross-site requests too ({@code SameSite=None}),
     *                  rather than on same-site ones only ({@code SameSite=Strict})
     */
    record BrowserCookie(String name, String value, boolean crossSite, Duration maxAge) {
        BrowserCookie {
            if (name == null || !name.startsWith("__Host-")) {
                throw new IllegalArgumentException("'name' must be a __Host- cookie name");
            }
            Objects.requireNonNull(value, "'value' must not be null");
            Objects.requireNonNull(maxAge, "'maxAge' must not be null");
        }

        static BrowserCookie cleared(String name, boolean crossSite) {
            return new BrowserCookie(name, "", crossSite, Duration.ZERO);
        }

        @Override
        public String toString() {
            return "BrowserCookie[name=" + name + ", value=***]";
        }
    }

    /** {@code GET /authorize}. */
    Answer authorize(Form query, Optional<String> browserCookie) {
        if (query.repeated("client_id") || query.repeated("redirect_uri")) {
            return errorPage(400, "Invalid request", "The request repeats client_id or redirect_uri.");
        }
        Optional<String> clientId = query.single("client_id");
        if (clientId.isEmpty()) {
            return errorPage(400, "Invalid request", "The request does not say which application it comes from (client_id).");
        }
        Clients.Lookup lookup = clients.find(clientId.get());
        if (lookup instanceof Clients.Lookup.NotFound notFound) {
            LOG.info("An authorization request named a client this server does not know or accept: {}", notFound.reason());
            return errorPage(400, "Unknown application", "This server does not know the application that sent you here, "
                    + "or cannot accept how it describes itself.");
        }
        RegisteredClient client = ((Clients.Lookup.Found) lookup).client();
        Optional<String> redirectUri = query.single("redirect_uri");
        if (redirectUri.isEmpty() || !RedirectUris.matches(client.redirectUris(), redirectUri.get())) {
            return errorPage(400, "Invalid redirect", "The address the application wants you sent back to is not one it "
                    + "registered, so this server will not send you there.");
        }
        URI redirect = URI.create(redirectUri.get());
        String clientState = null;
        try {
            clientState = query.single("state").orElse(null);
            Optional<String> repeated = query.anyRepeated();
            if (repeated.isPresent()) {
                throw OAuthError.invalidRequest("the parameter " + repeated.get() + " is repeated");
            }
            if (clientState == null) {
                throw OAuthError.invalidRequest("state is required");
            }
            if (clientState.length() > MAX_STATE_LENGTH) {
                throw OAuthError.invalidRequest("state is longer than " + MAX_STATE_LENGTH + " characters");
            }
            if (!"code".equals(query.single("response_type").orElse(null))) {
                throw new OAuthError(400, OAuthError.UNSUPPORTED_RESPONSE_TYPE, "response_type must be code");
            }
            String challenge = query.single("code_challenge").orElseThrow(() -> OAuthError.invalidRequest(
                    "PKCE is required: send code_challenge with code_challenge_method=S256"));
            if (!"S256".equals(query.single("code_challenge_method").orElse(null))) {
                throw OAuthError.invalidRequest("code_challenge_method must be S256");
            }
            if (!RandomValues.isS256Challenge(challenge)) {
                throw OAuthError.invalidRequest("code_challenge must be an S256 challenge (43 base64url characters)");
            }
            Optional<String> resource = query.single("resource");
            if (resource.isPresent() && !resource.get().equals(settings.resource().toString())) {
                throw new OAuthError(400, OAuthError.INVALID_TARGET, "resource must be " + settings.resource());
            }
            List<String> scopes = requestedScopes(query.single("scope"));
            if (query.single("prompt").map(prompt -> List.of(prompt.split(" ")).contains("none")).orElse(false)) {
                throw new OAuthError(400, OAuthError.INTERACTION_REQUIRED, "this server always asks for consent");
            }

            PendingRecords.Request request = new PendingRecords.Request(client.clientId(), redirectUri.get(), challenge,
                    clientState, scopes, resource.orElse(null));
            if (!limits.admitPendingAuthorization()) {
                LOG.warn("Too many consent pages await an answer (limits.max-pending-authorizations); one more was refused");
                throw new OAuthError(503, OAuthError.TEMPORARILY_UNAVAILABLE,
                        "this server is handling too many sign-ins right now; try again in a few minutes");
            }
            String ticket = RandomValues.token(32);
            String csrf = RandomValues.token(32);
            String browser = browserCookie.filter(value -> value.matches("[A-Za-z0-9_-]{43}"))
                    .orElseGet(() -> RandomValues.token(32));
            Instant now = clock.instant();
            records.write(PendingRecords.CONSENTS, RecordKeys.hashed(ticket), new PendingRecords.Consent(request,
                    RecordKeys.hashed(csrf), RecordKeys.hashed(browser), now.toEpochMilli()),
                    Optional.of(now.plus(FacadeSettings.AUTHORIZATION_LIFETIME)));
            return new Answer.Page(200, Pages.consent(client, scopes, ticket, csrf, redirect, serverName),
                    List.of(upstreamOrigin, origin(redirect)),
                    List.of(new BrowserCookie(BROWSER_COOKIE, browser, false, FacadeSettings.AUTHORIZATION_LIFETIME)));
        } catch (OAuthError refused) {
            URI back = errorResponse(redirectUri.get(), refused.error(), refused.description(), clientState);
            if (RedirectUris.isLoopbackHttp(redirect)) {
                return new Answer.Redirect(302, back);
            }
            LOG.info("An authorization request of client {} was refused ({}) before consent; its https redirect URI "
                    + "gets a link, not a redirect", client.clientId(), refused.error());
            boolean busy = OAuthError.TEMPORARILY_UNAVAILABLE.equals(refused.error());
            return new Answer.Page(busy ? 503 : 400, Pages.errorWithReturnLink(busy ? "Server busy" : "Invalid request",
                    busy ? "This server is handling too many sign-ins right now. Try again in a few minutes."
                            : "The application's request cannot be processed: " + refused.description() + ".",
                    redirect.getHost(), back), List.of(), List.of());
        }
    }

    /**
     * {@code POST /authorize/consent}: the person's answer on the consent page. An {@code Origin}
     * header, when present, must be this server's (the page's {@code Referrer-Policy: same-origin}
     * makes browsers send it); {@code Origin: null} is refused. Absent, the CSRF token and the
     * browser cookie still decide.
     */
    Answer consent(Form form, Optional<String> browserCookie, Optional<String> origin) {
        if (origin.isPresent() && "null".equals(origin.get().strip())) {
            LOG.warn("A consent was posted with Origin: null (a sandboxed or opaque origin, or a browser hiding it); refused");
            return errorPage(403, "Request refused", ORIGIN_NULL_REFUSED);
        }
        if (origin.isPresent() && !origin.get().equals(origin(URI.create(settings.issuer())))) {
            return errorPage(403, "Request refused", "This form was sent from another site.");
        }
        Optional<String> ticket = form.single("ticket");
        if (ticket.isEmpty() || !ticket.get().matches("[A-Za-z0-9_-]{43}")) {
            return errorPage(400, "Invalid request", "The consent form is incomplete.");
        }
        Optional<PendingRecords.Consent> consent = records.take(PendingRecords.CONSENTS, RecordKeys.hashed(ticket.get()),
                PendingRecords.Consent.class);
        if (consent.isEmpty() || !clock.instant().isBefore(
                Instant.ofEpochMilli(consent.get().createdAt()).plus(FacadeSettings.AUTHORIZATION_LIFETIME))) {
            return errorPage(400, "Consent expired", "This consent page has expired or was already used.");
        }
        Optional<String> csrf = form.single("csrf");
        if (browserCookie.isEmpty() || csrf.isEmpty()
                || !RandomValues.same(RecordKeys.hashed(browserCookie.get()), consent.get().browserHash())
                || !RandomValues.same(RecordKeys.hashed(csrf.get()), consent.get().csrfHash())) {
            LOG.warn("A consent was posted without this server's page or from another browser (CSRF protection)");
            return errorPage(403, "Request refused", "This form was not sent from the page this server showed in this "
                    + "browser (CSRF protection).");
        }
        PendingRecords.Request request = consent.get().request();
        if (!"allow".equals(form.single("decision").orElse(null))) {
            return redirectError(303, request.redirectUri(), OAuthError.ACCESS_DENIED, "the user declined", request.state());
        }
        String state = RandomValues.token(32);
        String nonce = RandomValues.token(32);
        String verifier = RandomValues.token(32);
        String binding = RandomValues.token(32);
        Instant now = clock.instant();
        records.write(PendingRecords.UPSTREAM_STATES, RecordKeys.hashed(state),
                new PendingRecords.UpstreamState(request, nonce, verifier, RecordKeys.hashed(binding), now.toEpochMilli()),
                Optional.of(now.plus(FacadeSettings.AUTHORIZATION_LIFETIME)));
        URI signIn = upstream.authorizationUrl(UpstreamAuthorizationRequest.of(state, nonce, RandomValues.s256(verifier),
                settings.callback(), settings.upstreamScopes()));
        return new Answer.Redirect(303, signIn, List.of(new BrowserCookie(signInCookieName(state), binding, true,
                FacadeSettings.AUTHORIZATION_LIFETIME)));
    }

    /**
     * The name of the cookie that binds the sign-in with this upstream {@code state} to the browser:
     * one per sign-in, so that two in one browser keep their own. Derived from the state's SHA-256
     * (which keys its record), so it reveals nothing of the state.
     */
    static String signInCookieName(String state) {
        return SIGN_IN_COOKIE_PREFIX + RecordKeys.hashed(state).substring(0, 16);
    }

    /**
     * {@code POST /auth/callback}: Entra's answer, posted by the browser.
     *
     * @param cookies the request's cookies, by name
     */
    Answer callback(Form form, Function<String, Optional<String>> cookies) {
        Optional<String> state = form.single("state");
        if (state.isEmpty() || state.get().isEmpty() || state.get().length() > 256) {
            return errorPage(400, "Sign-in failed", "The answer from Microsoft sign-in is incomplete.");
        }
        Answer answer = completeSignIn(form, state.get(), cookies.apply(signInCookieName(state.get())));
        return answer.withCookie(BrowserCookie.cleared(signInCookieName(state.get()), true));
    }

    private Answer completeSignIn(Form form, String state, Optional<String> binding) {
        Optional<PendingRecords.UpstreamState> pending = records.take(PendingRecords.UPSTREAM_STATES,
                RecordKeys.hashed(state), PendingRecords.UpstreamState.class);
        Instant now = clock.instant();
        if (pending.isEmpty() || !now.isBefore(Instant.ofEpochMilli(pending.get().createdAt()).plus(FacadeSettings.AUTHORIZATION_LIFETIME))) {
            LOG.info("A sign-in callback came with an unknown, expired or already used state");
            return errorPage(400, "Sign-in expired", "This sign-in is unknown, has expired or was already completed.");
        }
        if (binding.isEmpty() || !RandomValues.same(RecordKeys.hashed(binding.get()), pending.get().browserBindingHash())) {
            LOG.warn("A sign-in callback for client {} came from a browser that did not start that sign-in; the sign-in is "
                    + "discarded and nothing is sent to the client", pending.get().request().clientId());
            return errorPage(403, "Sign-in refused", "This sign-in was not started in this browser (or this browser did "
                    + "not keep this server's cookie), so its result is not sent anywhere. If you started it yourself, "
                    + "go back to the application and start again in this browser.");
        }
        PendingRecords.Request request = pending.get().request();
        Optional<String> upstreamError = form.single("error");
        if (upstreamError.isPresent()) {
            LOG.info("The sign-in at Entra ended with {}", printable(upstreamError.get()));
            String error = "temporarily_unavailable".equals(upstreamError.get()) || "server_error".equals(upstreamError.get())
                    ? OAuthError.TEMPORARILY_UNAVAILABLE : OAuthError.ACCESS_DENIED;
            return redirectError(303, request.redirectUri(), error, "the sign-in at Microsoft Entra ID did not complete",
                    request.state());
        }
        Optional<String> code = form.single("code");
        if (code.isEmpty()) {
            return redirectError(303, request.redirectUri(), OAuthError.SERVER_ERROR, "the sign-in returned no code", request.state());
        }
        UpstreamSignIn signIn;
        try {
            signIn = upstream.redeem(code.get(), pending.get().codeVerifier(), settings.callback(), pending.get().nonce());
        } catch (ToolFailureException failure) {
            boolean transient_ = failure.failure() instanceof ToolFailure.Throttled
                    || failure.failure() instanceof ToolFailure.DownstreamUnavailable;
            return redirectError(303, request.redirectUri(), transient_ ? OAuthError.TEMPORARILY_UNAVAILABLE : OAuthError.ACCESS_DENIED,
                    transient_ ? "Microsoft Entra ID is unavailable; try again later" : "the sign-in at Microsoft Entra ID was refused",
                    request.state());
        }
        if (!settings.allowedTenants().contains(signIn.user().principal().tenantId())) {
            LOG.warn("A user of tenant {} signed in, but that tenant is not allowed", signIn.user().principal().tenantId());
            return redirectError(303, request.redirectUri(), OAuthError.ACCESS_DENIED,
                    "users of your organisation may not use this server", request.state());
        }
        Set<String> granted = new TreeSet<>(request.scopes());
        granted.retainAll(signIn.tokens().scopes());
        if (granted.isEmpty()) {
            return redirectError(303, request.redirectUri(), OAuthError.ACCESS_DENIED,
                    "none of the requested permissions was granted at Microsoft Entra ID", request.state());
        }
        String clientCode = RandomValues.token(32);
        records.write(PendingRecords.CODES, RecordKeys.hashed(clientCode), new PendingRecords.Code(request,
                        signIn.user().principal().tenantId(), signIn.user().principal().objectId(), signIn.user().username(),
                        signIn.user().displayName(), List.copyOf(signIn.user().roles()), List.copyOf(granted),
                        signIn.tokens().accessToken().value(), signIn.tokens().accessToken().expiresAt().toEpochMilli(),
                        signIn.tokens().refreshToken().map(RefreshToken::value).orElse(null),
                        List.copyOf(signIn.tokens().scopes()), now.toEpochMilli()),
                Optional.of(now.plus(settings.authorizationCodeLifetime())));
        LOG.info("{} signed in for client {}", signIn.user().principal().asKey(), request.clientId());
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("code", clientCode);
        parameters.put("state", request.state());
        parameters.put("iss", settings.issuer());
        return new Answer.Redirect(303, withQuery(request.redirectUri(), parameters));
    }

    private List<String> requestedScopes(Optional<String> scope) {
        if (scope.isEmpty() || scope.get().isBlank()) {
            return List.copyOf(settings.defaultScopes());
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String requested : scope.get().trim().split(" +")) {
            if (requested.equals(FacadeSettings.OFFLINE_ACCESS)) {
                continue;
            }
            if (!settings.supportedScopes().contains(requested)) {
                throw new OAuthError(400, OAuthError.INVALID_SCOPE, "unknown scope; this server offers "
                        + String.join(" ", settings.supportedScopes()));
            }
            scopes.add(requested);
        }
        return scopes.isEmpty() ? List.copyOf(settings.defaultScopes()) : new ArrayList<>(new TreeSet<>(scopes));
    }

    private Answer redirectError(int status, String redirectUri, String error, String description, String state) {
        return new Answer.Redirect(status, errorResponse(redirectUri, error, description, state));
    }

    /** The redirect URI with an error response's parameters (RFC 6749 section 4.1.2.1, RFC 9207 {@code iss}). */
    private URI errorResponse(String redirectUri, String error, String description, String state) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("error", error);
        parameters.put("error_description", description);
        if (state != null) {
            parameters.put("state", state);
        }
        parameters.put("iss", settings.issuer());
        return withQuery(redirectUri, parameters);
    }

    private static Answer errorPage(int status, String title, String message) {
        return new Answer.Page(status, Pages.error(title, message), List.of(), List.of());
    }

    static URI withQuery(String uri, Map<String, String> parameters) {
        StringBuilder location = new StringBuilder(uri).append(uri.contains("?") ? '&' : '?');
        boolean first = true;
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            if (!first) {
                location.append('&');
            }
            first = false;
            location.append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
        }
        return URI.create(location.toString());
    }

    /**
     * The origin of {@code uri} serialized as a browser sends it in {@code Origin} (RFC 6454 section
     * 6.2): scheme and host in lower case, the port only when it is not the scheme's default. A
     * public base URL written {@code https://MCP.example.com:443} must still match what a browser sends.
     */
    static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String printable(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) : value;
        return cut.replaceAll("[^A-Za-z0-9_.-]", "?");
    }
}
