package dev.entramcp.adapter.http.facade;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two pages a person sees at the facade: the consent page and the error page. Plain HTML, no
 * script, every value escaped. The response headers (see {@link #securityHeaders}) forbid framing
 * ({@code frame-ancestors 'none'}, {@code X-Frame-Options: DENY}: a consent button inside a
 * hostile page is a click-jacking target), allow no script at all, and allow forms to go only
 * where the flow goes next.
 */
final class Pages {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;"
            + "padding:0 1rem;color:#1b1b1b}button{display:block;width:100%;margin:.5rem 0;padding:.7rem;"
            + "font-size:1rem;cursor:pointer}button.secondary{background:none;border:1px solid #999}"
            + ".note{font-size:.9rem;color:#555}code{background:#f3f3f3;padding:0 .2rem;word-break:break-all}"
            + "li{margin:.3rem 0}.warning{border-left:4px solid #b25e00;padding:.3rem .7rem;background:#fff6e5}";
    private static final String STYLE_HASH = "sha256-" + sha256Base64(STYLE);
    /** The pages' referrer policy: see {@link #securityHeaders}. */
    static final String REFERRER_POLICY = "same-origin";
    private static final Map<String, String> SCOPE_DESCRIPTIONS = Map.of(
            "User.Read", "read your profile (name, e-mail address, job title)",
            "Mail.Send", "send e-mail as you");

    private Pages() {
    }

    /**
     * The consent page: who asks (the client's self-chosen name, flagged as unverified, its id, and
     * for a metadata-document client the host that serves its document), for what, and where the
     * browser goes afterwards: the whole redirect URI, not only its origin, since one host may serve
     * many applications. A client whose redirect URIs are all loopback runs on this computer, where
     * any program can listen on a local port and call itself by any name (the MCP authorization
     * spec's "Localhost Redirect URI Risks"): the page says so.
     */
    static String consent(RegisteredClient client, Collection<String> scopes, String ticket, String csrf,
                          URI redirectUri, String serverName) {
        StringBuilder html = start("Allow access?");
        html.append("<h1>Allow access?</h1><p><strong>").append(esc(client.displayName())).append("</strong>");
        if (client.clientName().isPresent()) {
            html.append(" <span class=\"note\">(a name the application chose itself; not verified)</span>");
        }
        html.append(" wants to use <strong>").append(esc(serverName)).append("</strong> on your behalf.</p>");
        html.append("<p class=\"note\">Application id: <code>").append(esc(client.clientId())).append("</code>");
        client.documentHost().ifPresent(host -> html.append("<br>Described by a document hosted at <strong>")
                .append(esc(host)).append("</strong>"));
        html.append("</p><p>It will be able to:</p><ul>");
        for (String scope : scopes) {
            html.append("<li>").append(esc(SCOPE_DESCRIPTIONS.getOrDefault(scope, scope))).append(" (<code>")
                    .append(esc(scope)).append("</code>)</li>");
        }
        html.append("</ul><p>If you allow it, you will sign in with Microsoft, then be sent back to <strong>")
                .append(esc(redirectUri.getHost())).append("</strong> at <code>").append(esc(redirectUri.toString()))
                .append("</code>.</p>");
        if (client.redirectUris().stream().allMatch(RedirectUris::isLoopbackHttp)) {
            html.append("<p class=\"warning\"><strong>This application runs on this computer</strong> and receives the "
                    + "result at a local address. Any program on this computer could present itself under this name: "
                    + "allow it only if you started it yourself just now.</p>");
        }
        html.append("<p class=\"note\">Only allow applications you started yourself.</p>")
                .append("<form method=\"post\" action=\"").append(AuthorizationFlow.CONSENT_PATH).append("\">")
                .append(hidden("ticket", ticket)).append(hidden("csrf", csrf))
                .append("<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>")
                .append("<button type=\"submit\" class=\"secondary\" name=\"decision\" value=\"deny\">Cancel</button>")
                .append("</form>");
        return end(html);
    }

    /** A page that says what went wrong and that the person should go back to the application. */
    static String error(String title, String message) {
        StringBuilder html = start(title);
        html.append("<h1>").append(esc(title)).append("</h1><p>").append(esc(message)).append("</p>")
                .append("<p class=\"note\">Go back to the application and start again.</p>");
        return end(html);
    }

    /**
     * An error page for a request that the application (not this server) must hear about, when
     * this server will not send the browser there on its own: it names the destination's host and
     * leaves the choice to the person, with a plain link.
     */
    static String errorWithReturnLink(String title, String message, String host, URI returnTo) {
        StringBuilder html = start(title);
        html.append("<h1>").append(esc(title)).append("</h1><p>").append(esc(message)).append("</p>")
                .append("<p class=\"note\">This server did not send you back to the application automatically: anyone can "
                        + "register an application here, so its address is not verified.</p>")
                .append("<p>If you started this application yourself and trust <strong>").append(esc(host))
                .append("</strong>, you can <a href=\"").append(esc(returnTo.toString())).append("\">return to ")
                .append(esc(host)).append("</a>. Otherwise, close this page.</p>");
        return end(html);
    }

    /**
     * The headers of every page: no framing, no script, styles by hash only, forms only to
     * {@code formTargets} (the consent form's redirect targets: this server, Entra, the client).
     *
     * <p>{@code Referrer-Policy: same-origin}, not {@code no-referrer}: under {@code no-referrer} a
     * browser sends {@code Origin: null} with every form {@code POST}, even to the page's own
     * origin (Fetch standard, "append a request {@code Origin} header"), and the consent
     * {@code POST} refuses any {@code Origin} but this server's, so no one could ever click Allow.
     * {@code same-origin} sends the real origin (and the page's URL as {@code Referer}) to this
     * server only; a request to another origin (a link on an error page) carries no referrer at
     * all. The redirects, among them the one to Entra's sign-in page, keep {@code no-referrer}
     * ({@link OAuthResponses#page}), so Entra never sees the client's authorization request.
     */
    static Map<String, String> securityHeaders(Collection<String> formTargets) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", "default-src 'none'; style-src '" + STYLE_HASH + "'; base-uri 'none'; "
                + "form-action 'self'" + (formTargets.isEmpty() ? "" : " " + String.join(" ", formTargets))
                + "; frame-ancestors 'none'");
        headers.put("X-Frame-Options", "DENY");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", REFERRER_POLICY);
        headers.put("Cache-Control", "no-store");
        headers.put("Pragma", "no-cache");
        return headers;
    }

    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + esc(name) + "\" value=\"" + esc(value) + "\">";
    }

    private static StringBuilder start(String title) {
        return new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\"><title>").append(esc(title))
                .append("</title><style>").append(STYLE).append("</style></head><body>");
    }

    private static String end(StringBuilder html) {
        return html.append("</body></html>").toString();
    }

    private static String sha256Base64(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
