package dev.entramcp.adapter.http.facade;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Optional;

/**
 * The facade's endpoints that MCP clients call directly: discovery (RFC 8414, and the same document
 * at the OpenID Connect path), the JWKS, registration (RFC 7591), {@code /token} and
 * {@code /revoke} (RFC 7009). Anonymous at the HTTP layer (clients authenticate in the body or with
 * HTTP Basic, checked by {@link TokenEndpoint}); none of them lives under an MCP path.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(property = FacadeProperties.ENABLED, value = "true")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AuthorizationServerController {

    static final String METADATA_PATH = "/.well-known/oauth-authorization-server";
    static final String OPENID_CONFIGURATION_PATH = "/.well-known/openid-configuration";
    static final String JWKS_PATH = "/jwks";
    static final String REGISTER_PATH = "/register";
    static final String TOKEN_PATH = "/token";
    static final String REVOKE_PATH = "/revoke";

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationServerController.class);
    private static final String FORM = "application/x-www-form-urlencoded";

    private final AuthorizationServerMetadata metadata;
    private final SigningKeyring keyring;
    private final Optional<ClientRegistration> registration;
    private final TokenEndpoint tokens;
    private final RequestLimits limits;

    AuthorizationServerController(AuthorizationServerMetadata metadata, SigningKeyring keyring,
                                  Optional<ClientRegistration> registration, TokenEndpoint tokens, RequestLimits limits) {
        this.metadata = metadata;
        this.keyring = keyring;
        this.registration = registration;
        this.tokens = tokens;
        this.limits = limits;
    }

    @Get(uris = {METADATA_PATH, OPENID_CONFIGURATION_PATH}, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> metadata() {
        return HttpResponse.ok(metadata.json())
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=3600")
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }

    @Get(uri = JWKS_PATH, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> jwks() {
        return HttpResponse.ok(keyring.publicKeys().toString())
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }

    @Post(uri = REGISTER_PATH, consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> register(HttpRequest<?> request, @Nullable @Body String body) {
        Optional<MutableHttpResponse<String>> limited = overLimit(RequestLimits.Endpoint.REGISTER, request, false);
        if (limited.isPresent()) {
            return limited.get();
        }
        try {
            if (registration.isEmpty()) {
                throw new OAuthError(403, OAuthError.ACCESS_DENIED, "dynamic client registration is disabled on this server");
            }
            if (!mediaType(request).equals(MediaType.APPLICATION_JSON)) {
                throw new OAuthError(400, OAuthError.INVALID_CLIENT_METADATA, "the client metadata must be sent as application/json");
            }
            return anyOrigin(OAuthResponses.json(201, registration.get().register(body)));
        } catch (OAuthError refused) {
            return anyOrigin(OAuthResponses.error(refused, false));
        } catch (RuntimeException unexpected) {
            return anyOrigin(OAuthResponses.unexpected(LOG, REGISTER_PATH, unexpected));
        }
    }

    @Post(uri = TOKEN_PATH, consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> token(HttpRequest<?> request, @Nullable @Body String body) {
        Optional<String> authorization = Optional.ofNullable(request.getHeaders().get(HttpHeaders.AUTHORIZATION));
        Optional<MutableHttpResponse<String>> limited = overLimit(RequestLimits.Endpoint.TOKEN, request, authorization.isPresent());
        if (limited.isPresent()) {
            return limited.get();
        }
        try {
            return anyOrigin(OAuthResponses.json(200, tokens.token(form(request, body), authorization)));
        } catch (OAuthError refused) {
            return anyOrigin(OAuthResponses.error(refused, authorization.isPresent()));
        } catch (RuntimeException unexpected) {
            return anyOrigin(OAuthResponses.unexpected(LOG, TOKEN_PATH, unexpected));
        }
    }

    @Post(uri = REVOKE_PATH, consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> revoke(HttpRequest<?> request, @Nullable @Body String body) {
        Optional<String> authorization = Optional.ofNullable(request.getHeaders().get(HttpHeaders.AUTHORIZATION));
        Optional<MutableHttpResponse<String>> limited = overLimit(RequestLimits.Endpoint.TOKEN, request, authorization.isPresent());
        if (limited.isPresent()) {
            return limited.get();
        }
        try {
            tokens.revoke(form(request, body), authorization);
            return anyOrigin(OAuthResponses.json(200, "{}"));
        } catch (OAuthError refused) {
            return anyOrigin(OAuthResponses.error(refused, authorization.isPresent()));
        } catch (RuntimeException unexpected) {
            return anyOrigin(OAuthResponses.unexpected(LOG, REVOKE_PATH, unexpected));
        }
    }

    /**
     * A 429 with {@code Retry-After} when the request's address is over the endpoint's limit (see
     * {@link RequestLimits}); OAuth defines no error code for it, so it is
     * {@code temporarily_unavailable}, as for the server-wide registration limit.
     */
    private Optional<MutableHttpResponse<String>> overLimit(RequestLimits.Endpoint endpoint, HttpRequest<?> request,
                                                            boolean basicAuthentication) {
        Optional<java.time.Duration> wait = limits.tryAcquire(endpoint, request);
        if (wait.isEmpty()) {
            return Optional.empty();
        }
        long seconds = OAuthResponses.seconds(wait.get());
        LOG.info("Too many {} requests from one address; refused for {} s", endpoint, seconds);
        return Optional.of(anyOrigin(OAuthResponses.error(new OAuthError(429, OAuthError.TEMPORARILY_UNAVAILABLE,
                "too many requests from this address; try again in " + seconds + " s"), basicAuthentication))
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds)));
    }

    /** The form body; any other media type is an {@code invalid_request}. */
    static Form form(HttpRequest<?> request, String body) {
        if (!mediaType(request).equals(FORM)) {
            throw OAuthError.invalidRequest("the parameters must be sent as application/x-www-form-urlencoded");
        }
        return Form.parse(body);
    }

    /**
     * Any origin may read these answers: the endpoints take no cookie and no ambient credential, so
     * a page elsewhere learns nothing it could not learn by itself. A public client's form
     * {@code POST} to {@code /token} or {@code /revoke} is a CORS "simple" request and works from a
     * browser page; {@code /register} (JSON) needs a preflight, which Micronaut answers only when
     * {@code micronaut.server.cors} is configured (a server-wide setting, left to the app).
     */
    private static MutableHttpResponse<String> anyOrigin(MutableHttpResponse<String> response) {
        return response.header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }

    private static String mediaType(HttpRequest<?> request) {
        String type = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return "";
        }
        int semicolon = type.indexOf(';');
        return (semicolon >= 0 ? type.substring(0, semicolon) : type).strip().toLowerCase(Locale.ROOT);
    }
}
