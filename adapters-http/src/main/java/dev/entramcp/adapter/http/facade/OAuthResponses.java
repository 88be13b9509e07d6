package dev.entramcp.adapter.http.facade;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entramcp.domain.model.CorrelationId;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import org.slf4j.Logger;

import java.util.Map;

/**
 * The facade's HTTP answers: JSON for the endpoints clients call ({@code error} and
 * {@code error_description}, RFC 6749 section 5.2, with {@code Cache-Control: no-store}), pages
 * and redirects for the ones browsers visit. An unexpected failure is logged with a correlation
 * id and answered {@code server_error} in the endpoint's own shape, never with a stack trace or an
 * exception message (the module's last-resort handler would answer in JSON-RPC, which an OAuth
 * client does not read).
 */
final class OAuthResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OAuthResponses() {
    }

    static MutableHttpResponse<String> json(int status, String body) {
        return HttpResponse.<String>status(HttpStatus.valueOf(status)).body(body)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache");
    }

    static MutableHttpResponse<String> error(OAuthError error, boolean basicAuthentication) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error.error());
        body.put("error_description", error.description());
        MutableHttpResponse<String> response = json(error.status(), body.toString());
        error.retryAfter().ifPresent(wait -> response.header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds(wait))));
        if (error.status() == 401 && basicAuthentication) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"entra-mcp\", charset=\"UTF-8\"");
        }
        return response;
    }

    static MutableHttpResponse<String> unexpected(Logger log, String endpoint, RuntimeException failure) {
        CorrelationId correlationId = CorrelationId.random();
        log.error("Unexpected failure at {} (correlation id {})", endpoint, correlationId, failure);
        return error(new OAuthError(500, OAuthError.SERVER_ERROR, "internal error (correlation id " + correlationId + ")"), false);
    }

    /**
     * A page or a redirect, with the cookies the answer sets or clears. Every cookie is a
     * {@code __Host-} cookie, so always {@code Secure}: browsers treat {@code http://localhost} as
     * a secure context, so the demo on plain http at localhost works in Chrome, Edge and Firefox
     * (other hosts must be https anyway).
     */
    static MutableHttpResponse<String> page(AuthorizationFlow.Answer answer) {
        MutableHttpResponse<String> response;
        if (answer instanceof AuthorizationFlow.Answer.Redirect redirect) {
            response = HttpResponse.<String>status(HttpStatus.valueOf(redirect.status()))
                    .header(HttpHeaders.LOCATION, redirect.location().toString())
                    .header(HttpHeaders.CACHE_CONTROL, "no-store")
                    // A redirect leaves for another origin (Entra, the client): nothing of this server's URLs goes with it.
                    .header("Referrer-Policy", "no-referrer");
        } else {
            AuthorizationFlow.Answer.Page page = (AuthorizationFlow.Answer.Page) answer;
            response = HttpResponse.<String>status(HttpStatus.valueOf(page.status()))
                    .body(page.html()).contentType(MediaType.TEXT_HTML + ";charset=utf-8");
            for (Map.Entry<String, String> header : Pages.securityHeaders(page.formTargets()).entrySet()) {
                response.header(header.getKey(), header.getValue());
            }
        }
        for (AuthorizationFlow.BrowserCookie cookie : answer.cookies()) {
            response.cookie(Cookie.of(cookie.name(), cookie.value()).path("/").secure(true).httpOnly(true)
                    .sameSite(cookie.crossSite() ? SameSite.None : SameSite.Strict).maxAge(cookie.maxAge()));
        }
        return response;
    }

    /** Whole seconds to wait, at least one (for {@code Retry-After}). */
    static long seconds(java.time.Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    static MutableHttpResponse<String> unexpectedPage(Logger log, String endpoint, RuntimeException failure) {
        CorrelationId correlationId = CorrelationId.random();
        log.error("Unexpected failure at {} (correlation id {})", endpoint, correlationId, failure);
        return page(new AuthorizationFlow.Answer.Page(500, Pages.error("Something went wrong",
                "This server could not complete the request (correlation id " + correlationId + ")."), java.util.List.of(),
                java.util.List.of()));
    }

}
