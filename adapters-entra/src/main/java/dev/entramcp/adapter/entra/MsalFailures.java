package dev.entramcp.adapter.entra;

import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.MsalThrottlingException;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what msal4j throws into a domain {@link ToolFailure} that tells the person what to do, and
 * logs one line an operator can act on: error code, HTTP status, AADSTS code and correlation id.
 * Neither the message nor the log ever contains a token, an assertion or a secret: msal4j's own
 * messages are not passed on, only the AADSTS code is read out of them.
 *
 * <ul>
 *   <li>Consent missing (AADSTS65001, 65004, 90094, 90008, {@code consent_required}, or an
 *       {@code interaction_required} that is not a sign-in policy) → {@link ToolFailure.ConsentRequired}
 *       with the admin-consent URL;</li>
 *   <li>an expired or invalid assertion, refresh token or sign-in, or a sign-in policy (MFA,
 *       Conditional Access) that needs the person → {@link ToolFailure.SignInRequired};</li>
 *   <li>HTTP 429 (or 503 with {@code Retry-After}) → {@link ToolFailure.Throttled}; other 5xx,
 *       network failures and unreadable answers → {@link ToolFailure.DownstreamUnavailable};</li>
 *   <li>the server's own credential rejected (AADSTS7000215 and kin), or its client assertion not
 *       produced (an unreadable federated token file, a managed identity that answered nothing)
 *       → DownstreamUnavailable, logged as an error: that is an operator's problem, not the user's.</li>
 * </ul>
 */
final class MsalFailures {

    private static final Logger LOG = LoggerFactory.getLogger(MsalFailures.class);
    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d{5,7})");
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    /** Missing consent or permission: an administrator (or the user) must grant it. */
    private static final Set<String> CONSENT_CODES = Set.of("65001", "65004", "65005", "90094", "90008", "650052", "650057");
    /** A sign-in policy the person must satisfy interactively (MFA, Conditional Access, password change). */
    private static final Set<String> POLICY_CODES = Set.of("50076", "50079", "50158", "53000", "53001", "53003", "50055", "50173");
    /** The server's own registration or credential: the operator must fix it. */
    private static final Set<String> CREDENTIAL_CODES = Set.of("7000215", "7000222", "700027", "700016", "700024", "7000218", "70021", "700211", "700213");

    /** What the user is told when the server's own credential cannot be used (the operator's log says why). */
    static final String SERVER_CREDENTIAL_UNAVAILABLE =
            "This server's Microsoft Entra credential could not be used; an administrator must fix the server configuration.";

    private MsalFailures() {
    }

    /**
     * The failure to report for this throwable.
     *
     * @param failure    what msal4j (or the future around it) threw
     * @param consentUrl the admin-consent URL for the scopes that were requested
     * @param operation  what was attempted, for the log line ("on-behalf-of", "device code sign-in"...)
     */
    static ToolFailure toFailure(Throwable failure, Supplier<Optional<URI>> consentUrl, String operation) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ToolFailureException known) {
            return known.failure();
        }
        if (cause instanceof MsalThrottlingException throttled) {
            log(operation, throttled, "throttled by msal4j's own throttling cache");
            return new ToolFailure.Throttled(Duration.ofMillis(Math.max(1000, throttled.retryInMs())));
        }
        if (cause instanceof MsalServiceException service) {
            return fromService(service, consentUrl, operation);
        }
        if (cause instanceof MsalClientException client) {
            return fromClient(client, operation);
        }
        LOG.warn("Entra {} failed: {}", operation, cause.getClass().getName());
        return new ToolFailure.DownstreamUnavailable("Signing in to Microsoft Entra ID failed unexpectedly.");
    }

    static ToolFailureException toException(Throwable failure, Supplier<Optional<URI>> consentUrl, String operation) {
        return new ToolFailureException(toFailure(failure, consentUrl, operation));
    }

    /** The AADSTS code in msal4j's message, if there is one ("AADSTS65001" → "65001"). */
    static Optional<String> aadstsCode(MsalException exception) {
        String message = exception.getMessage();
        if (message == null) {
            return Optional.empty();
        }
        Matcher matcher = AADSTS.matcher(message);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static ToolFailure fromService(MsalServiceException service, Supplier<Optional<URI>> consentUrl, String operation) {
        Integer status = service.statusCode();
        String error = Optional.ofNullable(service.errorCode()).orElse("").toLowerCase(Locale.ROOT);
        Optional<String> code = aadstsCode(service);
        String aadsts = code.map(c -> " (AADSTS" + c + ")").orElse("");

        if (status != null && status == 429) {
            log(operation, service, "throttled");
            return new ToolFailure.Throttled(retryAfter(service.headers()).orElse(DEFAULT_RETRY_AFTER));
        }
        if (status != null && status >= 500) {
            Optional<Duration> retryAfter = retryAfter(service.headers());
            log(operation, service, "token endpoint unavailable");
            if (status == 503 && retryAfter.isPresent()) {
                return new ToolFailure.Throttled(retryAfter.get());
            }
            return new ToolFailure.DownstreamUnavailable("Microsoft Entra ID answered HTTP " + status + ".");
        }
        if (code.isPresent() && CREDENTIAL_CODES.contains(code.get()) || "invalid_client".equals(error) || "unauthorized_client".equals(error)) {
            LOG.error("Entra {} failed: this server's app registration or credential was rejected (error={}, AADSTS{}, "
                    + "correlationId={}). An administrator must fix the server configuration.",
                    operation, error, code.orElse("-"), service.correlationId());
            return new ToolFailure.DownstreamUnavailable("This server's Microsoft Entra credential was rejected" + aadsts
                    + "; an administrator must fix the server configuration.");
        }
        if (code.isPresent() && CONSENT_CODES.contains(code.get()) || "consent_required".equals(error)) {
            log(operation, service, "consent required");
            return new ToolFailure.ConsentRequired("This application has not been granted the permission it needs" + aadsts + ".",
                    consentUrl.get());
        }
        if (code.isPresent() && POLICY_CODES.contains(code.get())) {
            log(operation, service, "sign-in policy requires the user");
            return new ToolFailure.SignInRequired("your organisation requires you to sign in again" + aadsts
                    + " (for example for multi-factor authentication). Sign in again, then call the tool again.");
        }
        // Not "instanceof MsalInteractionRequiredException": msal4j raises that for every invalid_grant
        // without a sub-error, which includes an expired assertion (a sign-in matter, handled below).
        if ("interaction_required".equals(error)) {
            log(operation, service, "interaction required");
            return new ToolFailure.ConsentRequired("Microsoft Entra ID requires an interactive step, usually consent" + aadsts + ".",
                    consentUrl.get());
        }
        if ("authorization_declined".equals(error)) {
            log(operation, service, "sign-in declined");
            return new ToolFailure.SignInRequired("the sign-in was declined. Call the tool again to start a new one.");
        }
        if ("expired_token".equals(error)) {
            log(operation, service, "sign-in code expired");
            return new ToolFailure.SignInRequired("the sign-in code expired before it was used. Call the tool again for a new one.");
        }
        if ("invalid_grant".equals(error) || "bad_verification_code".equals(error)) {
            log(operation, service, "grant refused");
            return new ToolFailure.SignInRequired("your sign-in is no longer valid" + aadsts
                    + ". Sign in again, then call the tool again.");
        }
        log(operation, service, "refused");
        return new ToolFailure.DownstreamUnavailable("Microsoft Entra ID refused the token request"
                + (error.isEmpty() ? "" : " (" + error + ")") + aadsts + ".");
    }

    private static ToolFailure fromClient(MsalClientException client, String operation) {
        Optional<ClientAssertionUnavailableException> assertion = cause(client, ClientAssertionUnavailableException.class);
        if (assertion.isPresent()) {
            LOG.error("Entra {} failed: this server's client assertion could not be produced: {}. "
                    + "An administrator must fix the server configuration.", operation, assertion.get().getMessage());
            return new ToolFailure.DownstreamUnavailable(SERVER_CREDENTIAL_UNAVAILABLE);
        }
        String error = Optional.ofNullable(client.errorCode()).orElse("");
        LOG.warn("Entra {} failed on the client side: error={} ({})", operation, error,
                client.getCause() == null ? "-" : client.getCause().getClass().getSimpleName());
        if ("code_expired".equals(error)) {
            return new ToolFailure.SignInRequired("the sign-in code expired before it was used. Call the tool again for a new one.");
        }
        if ("invalid_json".equals(error)) {
            return new ToolFailure.DownstreamUnavailable("Microsoft Entra ID answered with something that is not a token response.");
        }
        if (hasCause(client, IOException.class)) {
            return new ToolFailure.DownstreamUnavailable("Microsoft Entra ID could not be reached.");
        }
        return new ToolFailure.DownstreamUnavailable("Getting a token from Microsoft Entra ID failed (" + (error.isEmpty() ? "client error" : error) + ").");
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        return cause(failure, type).isPresent();
    }

    private static <T extends Throwable> Optional<T> cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    private static void log(String operation, MsalServiceException service, String outcome) {
        LOG.warn("Entra {}: {} (error={}, status={}, AADSTS{}, correlationId={})", operation, outcome,
                service.errorCode(), service.statusCode(), aadstsCode(service).orElse("-"), service.correlationId());
    }

    static Optional<Duration> retryAfter(Map<String, List<String>> headers) {
        if (headers == null) {
            return Optional.empty();
        }
        return headers.entrySet().stream()
                .filter(entry -> entry.getKey() != null && entry.getKey().equalsIgnoreCase("Retry-After"))
                .flatMap(entry -> entry.getValue().stream())
                .findFirst()
                .flatMap(MsalFailures::parseRetryAfter);
    }

    private static Optional<Duration> parseRetryAfter(String value) {
        String trimmed = value.trim();
        try {
            long seconds = Long.parseLong(trimmed);
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
