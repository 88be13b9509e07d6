package dev.entramcp.adapter.graph;

import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;

import java.io.IOException;
import javax.net.ssl.SSLHandshakeException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs one Graph operation for one caller: gets a token from the token port, sends the request,
 * retries what may be retried, and turns every failure into a domain {@link ToolFailure}.
 *
 * <p>The retry rules:
 * <ul>
 *   <li>429 and 503 mean Graph did not process the request (Graph's throttling guidance), so every
 *       operation may be repeated; the wait is {@code Retry-After} when Graph gives one.</li>
 *   <li>A connection that could not be opened means nothing was sent: also repeatable.</li>
 *   <li>A timeout, a broken connection or another 5xx may come <em>after</em> Graph did the work.
 *       Only idempotent operations ({@code GET /me}) are repeated then; {@code sendMail} fails at
 *       once and says the mail may have been sent, rather than risk sending it twice.</li>
 *   <li>Without {@code Retry-After}: capped exponential back-off with full jitter.</li>
 *   <li>Attempts and the total time slept are both bounded by the {@link GraphRetryPolicy}; each
 *       exchange, body included, is bounded by the request timeout. So a call takes at most about
 *       {@code maxAttempts × requestTimeout + maxTotalWait}.</li>
 *   <li>A 401 is repeated once, with a token from the {@link RefreshDownstreamToken} when one is
 *       wired (Graph rejected a token its source still holds as valid); otherwise, and the second
 *       time, it means "sign in again".</li>
 *   <li>A TLS handshake failure, a 403 or any other 4xx but 429 is never repeated.</li>
 * </ul>
 *
 * <p>Only the token the port returns is sent, on the {@code Authorization} header; the caller's
 * inbound token is never looked at. No token and no response body is ever logged or put in a
 * message: messages carry the HTTP status, Graph's error code and its request id.
 */
final class GraphCalls {

    private static final System.Logger LOG = System.getLogger(GraphAdapter.class.getName());
    /** RFC 6750 {@code b64token}: checked so that a malformed token never reaches a header (or an exception). */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9\\-]{1,64}");
    private static final int MAX_BODY_BYTES = 1024 * 1024;

    private final GraphConfig config;
    private final HttpClient http;
    private final AcquireDownstreamTokenPort tokens;
    private final Optional<RefreshDownstreamToken> refresh;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Jitter jitter;

    GraphCalls(GraphConfig config, HttpClient http, AcquireDownstreamTokenPort tokens,
               Optional<RefreshDownstreamToken> refresh, Clock clock, Sleeper sleeper, Jitter jitter) {
        this.config = config;
        this.http = http;
        this.tokens = tokens;
        this.refresh = refresh;
        this.clock = clock;
        this.sleeper = sleeper;
        this.jitter = jitter;
    }

    /** What happened on one attempt that did not succeed. */
    private sealed interface Miss {
        /** 429 or 503: Graph did not process the request; any operation may be repeated. */
        record Throttled(Optional<Duration> retryAfter, String why) implements Miss {
        }

        /** A failure worth repeating; {@code exhausted} is reported once no attempt is left. */
        record Transient(String why, ToolFailure exhausted) implements Miss {
        }

        /** Repeating would not help, or could do harm. */
        record Final(ToolFailure failure) implements Miss {
        }
    }

    /** Runs {@code operation} and returns the body of its 2xx answer. */
    byte[] execute(CallerIdentity caller, GraphOperation operation, Optional<byte[]> body) {
        String clientRequestId = UUID.randomUUID().toString();
        GraphRetryPolicy policy = config.retry();
        Duration slept = Duration.ZERO;
        boolean refreshed = false;
        Optional<AccessToken> refreshedToken = Optional.empty();
        for (int attempt = 1; ; attempt++) {
            AccessToken token = refreshedToken.orElseGet(() -> bearer(caller, operation));
            refreshedToken = Optional.empty();
            HttpRequest request = request(operation, token, body, clientRequestId);
            Miss miss;
            try {
                HttpResponse<byte[]> response = exchange(request);
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response.body();
                }
                if (status == 401 && refresh.isPresent() && !refreshed) {
                    // Graph processed nothing: repeating is safe, even for sendMail. Once only.
                    LOG.log(Level.DEBUG, "Graph {0} answered 401: retrying once with a refreshed token (client-request-id {1})",
                            operation.label(), clientRequestId);
                    refreshed = true;
                    refreshedToken = Optional.of(checked(refresh.get().refreshToken(caller, scopes(operation))));
                    attempt--; // not a failed attempt of the retry budget
                    continue;
                }
                miss = classify(operation, status, response.headers(), response.body(), refreshed);
            } catch (LimitedBody.TooLarge e) {
                miss = new Miss.Final(new ToolFailure.DownstreamUnavailable(
                        "Microsoft Graph sent an answer too large to read while trying to " + operation.action() + "."));
            } catch (SSLHandshakeException e) {
                // Nothing was sent, and trying again will not make the certificate trusted.
                miss = new Miss.Final(new ToolFailure.DownstreamUnavailable("the TLS handshake with Microsoft Graph failed"
                        + " (SSLHandshakeException): its certificate is not trusted by this server's configuration."));
            } catch (HttpConnectTimeoutException | ConnectException e) {
                miss = notSent(operation, e);
            } catch (HttpTimeoutException e) {
                miss = maybeProcessed(operation, "Microsoft Graph did not answer within " + seconds(config.requestTimeout()),
                        "timed out");
            } catch (IOException e) {
                miss = maybeProcessed(operation, "the connection to Microsoft Graph failed (" + e.getClass().getSimpleName() + ")",
                        e.getClass().getSimpleName());
            }

            if (miss instanceof Miss.Final f) {
                LOG.log(Level.DEBUG, "Graph {0} failed: {1} (client-request-id {2})",
                        operation.label(), f.failure().getClass().getSimpleName(), clientRequestId);
                throw new ToolFailureException(f.failure());
            }
            int retry = attempt;
            Optional<Duration> retryAfter = miss instanceof Miss.Throttled t ? t.retryAfter() : Optional.empty();
            String why = miss instanceof Miss.Throttled t ? t.why() : ((Miss.Transient) miss).why();
            Duration delay = retryAfter.orElseGet(() -> jitter.pick(policy.backoffCeiling(retry)));
            if (attempt >= policy.maxAttempts() || slept.plus(delay).compareTo(policy.maxTotalWait()) > 0) {
                LOG.log(Level.WARNING, "Graph {0} gave up after {1} attempt(s) and {2} ms of waiting: {3} (client-request-id {4})",
                        operation.label(), String.valueOf(attempt), String.valueOf(slept.toMillis()), why, clientRequestId);
                ToolFailure failure = miss instanceof Miss.Transient t
                        ? t.exhausted()
                        : new ToolFailure.Throttled(retryAfter.orElseGet(() -> policy.backoffCeiling(retry)));
                throw new ToolFailureException(failure);
            }
            LOG.log(Level.DEBUG, "Graph {0}: {1}; attempt {2} of {3}, retrying in {4} ms (client-request-id {5})",
                    operation.label(), why, String.valueOf(attempt), String.valueOf(policy.maxAttempts()),
                    String.valueOf(delay.toMillis()), clientRequestId);
            sleep(delay, operation);
            slept = slept.plus(delay);
        }
    }

    /**
     * One HTTP exchange, bounded as a whole by the request timeout. (The JDK's own request timeout
     * covers the wait for the response headers only; a body that trickles in would not be bounded.)
     * An interrupted caller cancels the exchange and gets a domain failure.
     */
    private HttpResponse<byte[]> exchange(HttpRequest request) throws IOException {
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, LimitedBody.handler(MAX_BODY_BYTES));
        try {
            return pending.get(config.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new HttpTimeoutException("request timed out");
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new ToolFailureException(new ToolFailure.DownstreamUnavailable(
                    "the call to Microsoft Graph was interrupted."));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("the HTTP exchange failed (" + cause.getClass().getSimpleName() + ")", null);
        }
    }

    private AccessToken bearer(CallerIdentity caller, GraphOperation operation) {
        // Failures of the token port (sign-in needed, consent missing) are already domain failures.
        return checked(tokens.acquireToken(caller, scopes(operation)));
    }

    private Set<String> scopes(GraphOperation operation) {
        return Set.of(config.scope(operation.permission()));
    }

    private static AccessToken checked(AccessToken token) {
        if (token == null || !B64TOKEN.matcher(token.value()).matches()) {
            throw new ToolFailureException(new ToolFailure.DownstreamUnavailable(
                    "the token for Microsoft Graph is malformed, so it was not sent."));
        }
        return token;
    }

    private HttpRequest request(GraphOperation operation, AccessToken token, Optional<byte[]> body, String clientRequestId) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(config.resolve(operation.path(), operation.query()))
                .timeout(config.requestTimeout())
                .header("Authorization", "Bearer " + token.value())
                .header("Accept", "application/json")
                .header("client-request-id", clientRequestId);
        if (body.isPresent()) {
            builder.header("Content-Type", "application/json")
                    .method(operation.method(), HttpRequest.BodyPublishers.ofByteArray(body.get()));
        } else {
            builder.method(operation.method(), HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    private Miss classify(GraphOperation operation, int status, HttpHeaders headers, byte[] answer, boolean refreshed) {
        String code = GraphJson.errorCode(answer).orElse("no error code");
        String requestId = headers.firstValue("request-id").filter(id -> SAFE_REQUEST_ID.matcher(id).matches())
                .map(id -> ", request-id " + id).orElse("");
        String graphSaid = "HTTP " + status + ", " + code + requestId;
        if (status == 429 || status == 503) {
            return new Miss.Throttled(RetryAfter.parse(headers.firstValue("Retry-After"), clock),
                    "throttled (" + graphSaid + ")");
        }
        if (status == 401) {
            return new Miss.Final(new ToolFailure.SignInRequired(refreshed
                    ? "Microsoft Graph did not accept your sign-in, not even a newly refreshed token (" + graphSaid
                            + "). Sign in again."
                    : "Microsoft Graph did not accept your sign-in (" + graphSaid + "). Sign in again."));
        }
        if (status == 403) {
            return new Miss.Final(new ToolFailure.ConsentRequired(
                    "Microsoft Graph refused to " + operation.action() + " (" + graphSaid + "): the permission "
                            + operation.permission() + " has not been consented for this app, or your account may not do this.",
                    Optional.empty()));
        }
        if (status == 400 && operation.badRequestIsCallers()) {
            return new Miss.Final(new ToolFailure.InvalidArguments(
                    "Microsoft Graph rejected the request to " + operation.action() + " (" + graphSaid + ")."));
        }
        if (status >= 500) {
            String detail = "Microsoft Graph failed to " + operation.action() + " (" + graphSaid + ")";
            if (!operation.idempotent()) {
                return new Miss.Final(new ToolFailure.DownstreamUnavailable(detail + "; " + mayHaveHappened(operation)));
            }
            boolean transientFailure = status == 500 || status == 502 || status == 504;
            ToolFailure failure = new ToolFailure.DownstreamUnavailable(detail + ".");
            return transientFailure
                    ? new Miss.Transient("server error (" + graphSaid + ")", failure)
                    : new Miss.Final(failure);
        }
        return new Miss.Final(new ToolFailure.DownstreamUnavailable(
                "Microsoft Graph answered the request to " + operation.action() + " with " + graphSaid + "."));
    }

    private Miss notSent(GraphOperation operation, IOException e) {
        return new Miss.Transient("no connection (" + e.getClass().getSimpleName() + ")",
                new ToolFailure.DownstreamUnavailable("Microsoft Graph could not be reached to " + operation.action() + "."));
    }

    private Miss maybeProcessed(GraphOperation operation, String what, String why) {
        String detail = what + " while trying to " + operation.action();
        if (!operation.idempotent()) {
            return new Miss.Final(new ToolFailure.DownstreamUnavailable(detail + "; " + mayHaveHappened(operation)));
        }
        return new Miss.Transient(why, new ToolFailure.DownstreamUnavailable(detail + "."));
    }

    private static String mayHaveHappened(GraphOperation operation) {
        return "it may or may not have happened, so it was not repeated automatically"
                + (operation == GraphOperation.SEND_MAIL ? ": check your Sent Items before sending again." : ".");
    }

    private void sleep(Duration delay, GraphOperation operation) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailureException(new ToolFailure.DownstreamUnavailable(
                    "the call to Microsoft Graph to " + operation.action() + " was interrupted."));
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
