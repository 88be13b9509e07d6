package dev.entramcp.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The few HTML pages a person sees: pick a user, consent, enter a device code, and the {@code form_post}
 * hand-back to the client. Plain forms, no JavaScript needed (the hand-back submits itself when scripts run,
 * under a CSP hash), every value escaped.
 */
final class Pages {

    static final String AUTO_SUBMIT = "document.forms[0].submit();";
    static final String AUTO_SUBMIT_HASH = "sha256-" + sha256Base64(AUTO_SUBMIT);

    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;"
            + "padding:0 1rem;color:#1b1b1b}.warn{background:#fff4ce;border:1px solid #c19c00;padding:.5rem .8rem;"
            + "font-size:.9rem}button{display:block;width:100%;margin:.5rem 0;padding:.7rem;font-size:1rem;"
            + "text-align:left;cursor:pointer}button.secondary{background:none;border:1px solid #999}"
            + "code{background:#f3f3f3;padding:0 .2rem}li{margin:.3rem 0}input[type=text]{font-size:1.2rem;"
            + "padding:.4rem;width:12rem;letter-spacing:.1rem}";
    private static final String BANNER = "<p class=\"warn\"><strong>entra-emulator</strong>: a development and test"
            + " tool, not an identity provider. Never use it for real sign-ins.</p>";

    private Pages() {
    }

    static String login(String appName, String txn, String csrf, List<DemoUser> users, String problem) {
        StringBuilder html = start("Sign in");
        html.append("<h1>Sign in</h1><p>to continue to <strong>").append(esc(appName)).append("</strong></p>");
        if (problem != null) {
            html.append("<p role=\"alert\"><strong>").append(esc(problem)).append("</strong></p>");
        }
        html.append("<form method=\"post\" action=\"/ui/login\">").append(hidden("txn", txn))
                .append(hidden("csrf", csrf));
        for (DemoUser user : users) {
            html.append("<button type=\"submit\" name=\"username\" value=\"").append(esc(user.username())).append("\">")
                    .append(esc(user.displayName())).append(" &lt;").append(esc(user.userPrincipalName()))
                    .append("&gt;").append(user.roles().isEmpty() ? "" : " (roles: "
                            + esc(String.join(", ", user.roles())) + ")").append("</button>");
        }
        html.append("<button type=\"submit\" class=\"secondary\" name=\"cancel\" value=\"1\">Cancel</button></form>");
        return end(html);
    }

    static String consent(DemoUser user, String txn, String csrf, List<ConsentPolicy.Item> items) {
        StringBuilder html = start("Permissions requested");
        html.append("<h1>Permissions requested</h1><p>Signed in as <strong>").append(esc(user.userPrincipalName()))
                .append("</strong></p><ul>");
        for (ConsentPolicy.Item item : items) {
            html.append("<li><strong>").append(esc(item.client().displayName())).append("</strong> (<code>")
                    .append(esc(item.client().clientId())).append("</code>) wants to use ")
                    .append(esc(String.join(", ", item.scopes()))).append(" of <strong>")
                    .append(esc(item.resource().displayName())).append("</strong> on your behalf.</li>");
        }
        html.append("</ul><form method=\"post\" action=\"/ui/consent\">").append(hidden("txn", txn))
                .append(hidden("csrf", csrf))
                .append("<button type=\"submit\" name=\"decision\" value=\"accept\">Accept</button>")
                .append("<button type=\"submit\" class=\"secondary\" name=\"decision\" value=\"deny\">Cancel</button>")
                .append("</form>");
        return end(html);
    }

    static String enterCode(String csrf, String prefilled, String problem) {
        StringBuilder html = start("Enter code");
        html.append("<h1>Enter code</h1><p>Enter the code displayed on your app or device.</p>");
        if (problem != null) {
            html.append("<p role=\"alert\"><strong>").append(esc(problem)).append("</strong></p>");
        }
        html.append("<form method=\"post\" action=\"/devicelogin\">").append(hidden("csrf", csrf))
                .append("<p><input type=\"text\" name=\"user_code\" autocomplete=\"off\" autofocus value=\"")
                .append(esc(prefilled == null ? "" : prefilled)).append("\"></p>")
                .append("<button type=\"submit\">Next</button></form>");
        return end(html);
    }

    static String message(String title, String text) {
        StringBuilder html = start(title);
        html.append("<h1>").append(esc(title)).append("</h1><p>").append(esc(text)).append("</p>");
        return end(html);
    }

    /** The {@code form_post} response mode: the browser posts the result to the client's redirect URI. */
    static String formPost(String action, Map<String, String> fields) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Working...")
                .append("</title></head><body><form method=\"post\" action=\"").append(esc(action)).append("\">");
        fields.forEach((name, value) -> html.append(hidden(name, value)));
        html.append("<noscript><p>Script is disabled. Select Continue to return to the application.</p></noscript>")
                .append("<button type=\"submit\">Continue</button></form><script>").append(AUTO_SUBMIT)
                .append("</script></body></html>");
        return html.toString();
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
                .append(" - entra-emulator</title><style>").append(STYLE).append("</style></head><body>")
                .append(BANNER);
    }

    private static String end(StringBuilder html) {
        return html.append("</body></html>").toString();
    }

    private static String sha256Base64(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
