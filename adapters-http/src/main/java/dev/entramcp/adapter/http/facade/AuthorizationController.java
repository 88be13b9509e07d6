package dev.entramcp.adapter.http.facade;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The facade's endpoints that the person's browser visits: {@code GET /authorize} (then the
 * consent page), {@code POST /authorize/consent}, and {@code POST /auth/callback}, where Entra's
 * {@code form_post} answer arrives (a cross-site {@code POST}: it carries the single-use
 * {@code state} and the {@code SameSite=None} sign-in cookie that binds that state to the browser
 * that consented). The logic is {@link AuthorizationFlow}'s.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(property = FacadeProperties.ENABLED, value = "true")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AuthorizationController {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationController.class);

    private final AuthorizationFlow flow;
    private final RequestLimits limits;

    AuthorizationController(AuthorizationFlow flow, RequestLimits limits) {
        this.flow = flow;
        this.limits = limits;
    }

    @Get(uri = AuthorizationFlow.AUTHORIZE_PATH, produces = MediaType.TEXT_HTML)
    public MutableHttpResponse<String> authorize(HttpRequest<?> request) {
        Optional<Duration> wait = limits.tryAcquire(RequestLimits.Endpoint.AUTHORIZE, request);
        if (wait.isPresent()) {
            LOG.info("Too many authorization requests from one address; refused for {} s", OAuthResponses.seconds(wait.get()));
            return OAuthResponses.page(new AuthorizationFlow.Answer.Page(429, Pages.error("Too many requests",
                    "This browser's address has started too many sign-ins in a short time. Wait a minute, then go back "
                            + "to the application."), List.of(), List.of()))
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(OAuthResponses.seconds(wait.get())));
        }
        try {
            return OAuthResponses.page(flow.authorize(Form.parse(request.getUri().getRawQuery()), browserCookie(request)));
        } catch (OAuthError malformed) {
            return OAuthResponses.page(errorPage(malformed));
        } catch (RuntimeException unexpected) {
            return OAuthResponses.unexpectedPage(LOG, AuthorizationFlow.AUTHORIZE_PATH, unexpected);
        }
    }

    @Post(uri = AuthorizationFlow.CONSENT_PATH, consumes = MediaType.ALL, produces = MediaType.TEXT_HTML)
    public MutableHttpResponse<String> consent(HttpRequest<?> request, @Nullable @Body String body) {
        try {
            return OAuthResponses.page(flow.consent(AuthorizationServerController.form(request, body), browserCookie(request),
                    Optional.ofNullable(request.getHeaders().get(HttpHeaders.ORIGIN))));
        } catch (OAuthError malformed) {
            return OAuthResponses.page(errorPage(malformed));
        } catch (RuntimeException unexpected) {
            return OAuthResponses.unexpectedPage(LOG, AuthorizationFlow.CONSENT_PATH, unexpected);
        }
    }

    @Post(uri = FacadeSettings.CALLBACK_PATH, consumes = MediaType.ALL, produces = MediaType.TEXT_HTML)
    public MutableHttpResponse<String> callback(HttpRequest<?> request, @Nullable @Body String body) {
        try {
            return OAuthResponses.page(flow.callback(AuthorizationServerController.form(request, body),
                    name -> request.getCookies().findCookie(name).map(Cookie::getValue)));
        } catch (OAuthError malformed) {
            return OAuthResponses.page(errorPage(malformed));
        } catch (RuntimeException unexpected) {
            return OAuthResponses.unexpectedPage(LOG, FacadeSettings.CALLBACK_PATH, unexpected);
        }
    }

    private static Optional<String> browserCookie(HttpRequest<?> request) {
        return request.getCookies().findCookie(AuthorizationFlow.BROWSER_COOKIE).map(Cookie::getValue);
    }

    private static AuthorizationFlow.Answer errorPage(OAuthError malformed) {
        return new AuthorizationFlow.Answer.Page(malformed.status(), Pages.error("Invalid request",
                "The request is malformed: " + malformed.description() + "."), List.of(), List.of());
    }
}
