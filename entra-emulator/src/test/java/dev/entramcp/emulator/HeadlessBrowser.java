package dev.entramcp.emulator;

import java.util.Map;

/**
 * What a person's browser does during a sign-in, over {@link TestHttp}: open the authorize URL, pick a user on
 * the sign-in page, accept the consent page if one comes, and hand the result back to the client's redirect URI
 * (following a {@code query} redirect, or posting the {@code form_post} form).
 */
final class HeadlessBrowser {

    private final EntraEmulator emu;
    private final TestHttp http;

    HeadlessBrowser(EntraEmulator emu) {
        this.emu = emu;
        this.http = new TestHttp(emu);
    }

    TestHttp http() {
        return http;
    }

    /** Signs in as {@code username} (ignored with auto-approval) and returns the client's redirect response. */
    TestHttp.Response signIn(String authorizeUrl, String username) {
        TestHttp.Response page = http.get(authorizeUrl);
        for (int step = 0; step < 5; step++) {
            if (page.status() == 302) {
                return deliver(page.header("Location").orElseThrow());
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
                return http.postForm(action, fields);
            }
        }
        throw new AssertionError("sign-in did not finish: " + page.body());
    }

    /** The redirect to the client; a query-mode result to a loopback client is followed like a browser would. */
    private TestHttp.Response deliver(String location) {
        if (location.startsWith(emu.baseUrl().toString())) {
            throw new AssertionError("unexpected redirect within the emulator: " + location);
        }
        return new TestHttp.Response(302, java.net.http.HttpHeaders.of(Map.of("Location",
                java.util.List.of(location)), (a, b) -> true), "");
    }
}
