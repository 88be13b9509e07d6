package dev.entramcp.adapter.http.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Raw HTTP for the tests (the JDK client: every header and status as sent), and polling with a deadline. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Http() {
    }

    static HttpResponse<String> send(String method, URI uri, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                        : HttpRequest.BodyPublishers.noBody());
        if (method.equals("POST")) {
            builder.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        try {
            return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> withToken(String method, URI uri, String token) {
        return send(method, uri, "Authorization", "Bearer " + token);
    }

    static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return JSON.readValue(response.body(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** Polls until {@code attempt} gives a value matching, or fails after {@code timeout}. */
    static <T> T pollUntil(Duration timeout, Supplier<T> attempt, java.util.function.Predicate<T> done) {
        Instant deadline = Instant.now().plus(timeout);
        T last = attempt.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + timeout + "; last: " + last);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            last = attempt.get();
        }
        return last;
    }
}
