package dev.entramcp.emulator;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One HTTP request and its response, over the JDK server's {@link HttpExchange}: strict parameter parsing
 * (a repeated parameter is refused, an empty one counts as absent, as RFC 6749 section 3.1 says) and
 * response helpers that always set the caching and framing headers an identity provider must send.
 */
final class HttpCall {

    static final int MAX_FORM_BYTES = 64 * 1024;
    static final int MAX_JSON_BYTES = 1024 * 1024;

    private final HttpExchange exchange;
    private final String requestId = UUID.randomUUID().toString();
    private Map<String, String> query;
    private Map<String, String> form;
    private boolean responded;
    private boolean bodyRead;
    private int status;
    private java.util.function.IntConsumer beforeSend = status -> { };

    HttpCall(HttpExchange exchange) {
        this.exchange = exchange;
    }

    String method() {
        return exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    }

    String path() {
        return exchange.getRequestURI().getPath();
    }

    /** The path with its raw query, as a client wrote it. */
    String pathAndQuery() {
        String raw = exchange.getRequestURI().getRawQuery();
        return exchange.getRequestURI().getRawPath() + (raw == null ? "" : "?" + raw);
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** Entra echoes the caller's {@code client-request-id} as the correlation id; otherwise it makes one. */
    String correlationId() {
        String fromClient = header("client-request-id");
        return fromClient != null && fromClient.matches("[A-Za-z0-9-]{1,64}") ? fromClient : requestId;
    }

    String requestId() {
        return requestId;
    }

    Optional<String> cookie(String name) {
        var values = exchange.getRequestHeaders().get("Cookie");
        if (values == null) {
            return Optional.empty();
        }
        for (String header : values) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    return Optional.of(pair.substring(eq + 1).trim());
                }
            }
        }
        return Optional.empty();
    }

    Map<String, String> query() {
        if (query == null) {
            String raw = exchange.getRequestURI().getRawQuery();
            query = raw == null ? Map.of() : parseUrlEncoded(raw);
        }
        return query;
    }

    /** The {@code application/x-www-form-urlencoded} body; anything else is an invalid request. */
    Map<String, String> form() {
        if (form == null) {
            String type = header("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                throw EntraError.invalidRequest(90023, "The request body must be application/x-www-form-urlencoded.");
            }
            form = parseUrlEncoded(body(MAX_FORM_BYTES));
        }
        return form;
    }

    /** The body as UTF-8, refusing more than {@code limit} bytes. */
    String body(int limit) {
        bodyRead = true;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new BodyTooLarge();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw EntraError.invalidRequest(90023, "The request body could not be read.");
        }
    }

    static Map<String, String> parseUrlEncoded(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw EntraError.invalidRequest(90023, "The request is not properly URL-encoded.");
            }
            if (out.containsKey(name)) {
                throw EntraError.invalidRequest(9000411,
                        "The request is not properly formatted. The parameter '" + name + "' is duplicated.");
            }
            out.put(name, value);
        }
        out.values().removeIf(String::isEmpty);
        return Collections.unmodifiableMap(out);
    }

    void setHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    void addHeader(String name, String value) {
        exchange.getResponseHeaders().add(name, value);
    }

    void json(int status, Map<String, ?> body) {
        setHeader("Content-Type", "application/json; charset=utf-8");
        setHeader("Cache-Control", "no-store");
        setHeader("Pragma", "no-cache");
        send(status, JSONObjectUtils.toJSONString(body).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An HTML page with a strict Content-Security-Policy. {@code formTarget} is the one extra origin a form on
     * the page may post to (the client's redirect URI for {@code form_post}), or null.
     */
    void html(int status, String page, String formTarget, String scriptHash) {
        setHeader("Content-Type", "text/html; charset=utf-8");
        setHeader("Cache-Control", "no-store");
        setHeader("Pragma", "no-cache");
        setHeader("X-Frame-Options", "DENY");
        setHeader("X-Content-Type-Options", "nosniff");
        setHeader("Referrer-Policy", "no-referrer");
        setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none';"
                + " base-uri 'none'; form-action 'self'" + (formTarget == null ? "" : " " + formTarget)
                + (scriptHash == null ? "" : "; script-src '" + scriptHash + "'"));
        send(status, page.getBytes(StandardCharsets.UTF_8));
    }

    void text(int status, String text) {
        setHeader("Content-Type", "text/plain; charset=utf-8");
        setHeader("Cache-Control", "no-store");
        send(status, text.getBytes(StandardCharsets.UTF_8));
    }

    void redirect(String location) {
        setHeader("Location", location);
        setHeader("Cache-Control", "no-store");
        setHeader("Referrer-Policy", "no-referrer");
        send(302, null);
    }

    /** A response without a body (202, 204, ...). */
    void empty(int status) {
        send(status, null);
    }

    boolean responded() {
        return responded;
    }

    /**
     * Runs with the status just before the response goes out, so that what a test reads after receiving the
     * response (a recorded Graph request, say) is already there.
     */
    void beforeSend(java.util.function.IntConsumer hook) {
        this.beforeSend = hook;
    }

    /** The status sent, or 0 before the response. */
    int status() {
        return status;
    }

    private void send(int status, byte[] body) {
        if (responded) {
            throw new IllegalStateException("response already sent");
        }
        responded = true;
        this.status = status;
        beforeSend.accept(status);
        setHeader("x-ms-request-id", requestId);
        String clientRequestId = header("client-request-id");
        if (clientRequestId != null && clientRequestId.equals(correlationId())) {
            setHeader("client-request-id", clientRequestId);
        }
        discardUnreadBody();
        try {
            exchange.sendResponseHeaders(status, body == null || body.length == 0 ? -1 : body.length);
            if (body != null && body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // The client went away; nothing useful is left to do for this exchange.
        } finally {
            exchange.close();
        }
    }

    /**
     * Reads what is left of a request body that no handler read (a refusal sent before parsing, say), up to
     * {@link #MAX_JSON_BYTES}, before the response goes out. JDK 17's HTTPS server otherwise drains it only when
     * the exchange closes, after the client has its response and may already have sent its next request on the
     * same connection: the drain then reads that request's TLS record from the socket too, leaves it undecrypted
     * in its buffer, and waits on the socket for bytes that never come, so the next request hangs until the
     * client gives up. ({@code EmulatorConnectionReuseTest} checks the order and the reuse.)
     */
    private void discardUnreadBody() {
        if (bodyRead) {
            return;
        }
        bodyRead = true;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] sink = new byte[8192];
            long left = MAX_JSON_BYTES;
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
                left -= n;
            }
        } catch (IOException e) {
            // The client went away or sent a broken body; the response is still worth trying.
        }
    }

    /** The request body is over the limit for its endpoint. */
    static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super("request body too large", null, false, false);
        }
    }
}
