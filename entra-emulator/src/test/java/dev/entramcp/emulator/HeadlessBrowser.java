package dev.entramcp.emulator;

import java.util.Map;

/**
 * What a person's browser does during a sign-in, over {@link TestHttp}: open the authorize URL, pick a user on
 * the sign-in page, accept the consent page if one comes, and end with what goes back to the client's redirect
 * URI ({@link #handBack} sends it, like the browser would).
 */
final class HeadlessBrowser {

    /** The sign-in's result for the client: a {@code query} redirect or a {@code form_post} form. */
    record HandBack(String redirectUri, boolean formPost, Map<String, String> params) {
    }

    private final EntraEmulator emu;
    private final TestHttp http;

    HeadlessBrowser(EntraEmulator emu) {
        this.emu = emu;
        this.http = new TestHttp(emu);
    }

    TestHttp http() {
        return http;
    }

    /** Signs in as {@code username} (unused with auto-approval); returns what the client is to receive. */
    HandBack signIn(String authorizeUrl, String username) {
        return follow(http.get(authorizeUrl), username);
    }

    /** Continues a sign-in from an emulator page. */
    HandBack follow(TestHttp.Response page, String username) {
        for (int step = 0; step < 5; step++) {
            if (page.status() == 302) {
                String location = page.header("Location").orElseThrow();
                if (location.startsWith(emu.baseUrl().toString())) {
                    throw new AssertionError("unexpected redirect within the emulator: " + location);
                }
                int q = location.indexOf('?');
                return new HandBack(location.substring(0, q), false, TestHttp.queryOf(location));
            }
            if (page.status() != 200) {
                throw new AssertionError("sign-in failed with " + page.status() + ": " + page.body());
            }
            String action = page.formAction();
            Map<String, String> fields = page.hiddenFields();
            if (action.equals("/ui/login")) {
                fields.put("username", username);
                page = http.postForm(emu.baseUrl() + action, fields);
            } else if (action.equals("/ui/consent")) {
                fields.put("decision", "accept");
                page = http.postForm(emu.baseUrl() + action, fields);
            } else {
                return new HandBack(action, true, fields);
            }
        }
        throw new AssertionError("sign-in did not finish: " + page.body());
    }

    /** Delivers the result to the client (msal4j's loopback listener, for instance). */
    TestHttp.Response handBack(HandBack result) {
        if (result.formPost()) {
            return http.postForm(result.redirectUri(), result.params());
        }
        return http.get(result.redirectUri() + "?" + TestHttp.form(result.params()));
    }
}
