package dev.entramcp.adapter.entra;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Plays the person's browser for the interactive flow, without a person: opens the authorize URL
 * at mock-oauth2-server (which signs the user in at once), then carries the code back to the
 * loopback redirect, by form post or by following the redirect, as a browser would. In the
 * background, since a real browser does not block the program that opened it.
 */
final class HeadlessBrowser implements BrowserLauncher {

    private static final Pattern FORM_ACTION = Pattern.compile("<form action=\"([^\"]+)\"");
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder()
            .sslContext(LoopbackTls.get().clientContext())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicReference<URI> lastUrl = new AtomicReference<>();

    @Override
    public void open(URI uri) {
        opened.incrementAndGet();
        lastUrl.set(uri);
        CompletableFuture.runAsync(() -> {
            try {
                visit(uri);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    int timesOpened() {
        return opened.get();
    }

    URI lastUrl() {
        return lastUrl.get();
    }

    /**
     * Signs in at the authorize URL and returns what the browser would post back to the callback
     * (response_mode=form_post): the fields {@code code} and {@code state}, and {@code action}, the URL.
     */
    Map<String, String> authorizeAndCapture(URI authorizeUrl) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(authorizeUrl).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher action = FORM_ACTION.matcher(answer.body());
        if (answer.statusCode() != 200 || !action.find()) {
            throw new IllegalStateException("no form_post answer from the authorize endpoint: HTTP " + answer.statusCode());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("action", action.group(1));
        Matcher hidden = HIDDEN.matcher(answer.body());
        while (hidden.find()) {
            fields.put(hidden.group(1), hidden.group(2));
        }
        return fields;
    }

    private void visit(URI authorizeUrl) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(authorizeUrl).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher action = FORM_ACTION.matcher(answer.body());
        if (answer.statusCode() == 200 && action.find()) {
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher hidden = HIDDEN.matcher(answer.body());
            while (hidden.find()) {
                fields.put(hidden.group(1), hidden.group(2));
            }
            String form = fields.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            http.send(HttpRequest.newBuilder(URI.create(action.group(1)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        } else {
            String location = answer.headers().firstValue("Location").orElseThrow();
            http.send(HttpRequest.newBuilder(URI.create(location)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
