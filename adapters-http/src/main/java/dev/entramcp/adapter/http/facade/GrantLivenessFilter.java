package dev.entramcp.adapter.http.facade;

import dev.entramcp.adapter.http.auth.AuthenticatedCaller;
import dev.entramcp.adapter.http.auth.AuthenticationRefusals;
import dev.entramcp.adapter.http.auth.BearerTokenValidator;
import dev.entramcp.adapter.http.auth.ProtectedPaths;
import dev.entramcp.adapter.http.auth.TokenVerification;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.service.UpstreamTokenBroker;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;

/**
 * The grant-liveness check: a facade token is honoured on an MCP endpoint only while the grant it
 * names lives, and while the user's sign-in at Entra can still deliver a token.
 *
 * <p>The facade's access tokens are self-contained JWTs, verified (signature, issuer, audience,
 * expiry, claims) by the resource server's one strict verifier, like Entra's. Signature checks alone
 * cannot see a revocation, so right after authentication (after micronaut-security's filter, which
 * attached the verified caller) this filter looks the token's {@code grant_id} up:
 * <ol>
 *   <li>no such grant (revoked by the client, ended by a replayed refresh token or by time), or a
 *       grant of another user or client: <b>401</b>, with the resource server's usual challenge
 *       ({@code error="invalid_token"} and {@code resource_metadata}), so the client starts a new
 *       authorization;</li>
 *   <li>a token carrying an app role that the grant no longer holds (Entra said so at an upstream
 *       refresh since the token was issued): the same <b>401</b>, so the client refreshes and gets
 *       a token with the user's current roles;</li>
 *   <li>otherwise the user's upstream token is fetched through the domain's token broker, which
 *       refreshes it if it is about to expire. If Entra refuses (refresh token revoked, consent
 *       withdrawn), the broker has already deleted the stored tokens: the grant is ended and the
 *       answer is the same <b>401</b>, on this very request, rather than a tool error later.
 *       A busy or unreachable Entra is not the client's fault: the request goes on, and a tool
 *       that needs a token reports the failure itself.</li>
 * </ol>
 * It runs on the blocking executor, since a refresh talks to Entra.
 *
 * <p>It fails closed: in facade mode the verifier trusts no issuer but this server (Entra's group
 * is replaced by an empty one), so an authenticated caller whose bearer token this server did not
 * issue should not exist. Should one slip through (another {@code TrustedIssuers} bean, a
 * configuration mistake), it gets the same <b>401</b> with the challenge: a token without a grant
 * behind it is never honoured here.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = FacadeProperties.ENABLED, value = "true")
public class GrantLivenessFilter implements Ordered {

    /** After micronaut-security ({@code SECURITY}) and the auth layer's fail-closed filter. */
    public static final int ORDER = ServerFilterPhase.SECURITY.after() + 10;

    static final String GRANT_ENDED = "the grant behind this token has ended; sign in again";
    static final String UPSTREAM_ENDED = "the sign-in at Microsoft Entra ID behind this token has ended; sign in again";
    static final String NOT_ISSUED_HERE = "this server accepts only the access tokens it issues itself; get one from it";
    static final String ROLES_CHANGED = "the app roles behind this token have changed at Microsoft Entra ID; get a new token";

    private static final Logger LOG = LoggerFactory.getLogger(GrantLivenessFilter.class);
    private static final String BEARER = "Bearer ";

    private final FacadeSettings settings;
    private final Grants grants;
    private final UpstreamTokenBroker upstreamTokens;
    private final AuthenticationRefusals refusals;

    public GrantLivenessFilter(FacadeSettings settings, Grants grants, UpstreamTokenBroker upstreamTokens,
                               AuthenticationRefusals refusals) {
        this.settings = settings;
        this.grants = grants;
        this.upstreamTokens = upstreamTokens;
        this.refusals = refusals;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> requireLiveGrant(HttpRequest<?> request) {
        if (!ProtectedPaths.isProtected(request.getPath())) {
            return null;
        }
        Optional<CallerIdentity> caller = AuthenticatedCaller.of(request);
        if (caller.isEmpty()) {
            return null;
        }
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        Optional<FacadeTokens.Named> named = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? FacadeTokens.namedIn(authorization.substring(BEARER.length()).strip()) : Optional.empty();
        if (named.isEmpty() || !settings.issuer().equals(named.get().issuer())) {
            LOG.warn("An authenticated MCP request of {} carried a token this server did not issue; refused (fail closed)",
                    caller.get().principal().asKey());
            return refuse(request, NOT_ISSUED_HERE);
        }
        Optional<Grant> grant = named.get().grantId().flatMap(grants::find);
        if (grant.isEmpty() || !grant.get().principal().equals(caller.get().principal())
                || !grant.get().clientId().equals(caller.get().clientAppId())) {
            return refuse(request, GRANT_ENDED);
        }
        if (!grant.get().user().roles().containsAll(caller.get().roles())) {
            LOG.info("A token of grant {} ({}) carries an app role the user no longer holds; refused", grant.get().id(),
                    caller.get().principal().asKey());
            return refuse(request, ROLES_CHANGED);
        }
        try {
            upstreamTokens.acquireToken(caller.get(), Set.of());
        } catch (ToolFailureException failure) {
            if (failure.failure() instanceof ToolFailure.SignInRequired) {
                LOG.info("The upstream sign-in of {} has ended; ending grant {}", caller.get().principal().asKey(), grant.get().id());
                grants.revoke(grant.get(), false);
                return refuse(request, UPSTREAM_ENDED);
            }
            LOG.info("The upstream token of {} could not be checked now ({}); the request goes on",
                    caller.get().principal().asKey(), failure.failure().getClass().getSimpleName());
        }
        return null;
    }

    private HttpResponse<?> refuse(HttpRequest<?> request, String description) {
        request.setAttribute(BearerTokenValidator.REFUSAL_ATTRIBUTE, new TokenVerification.Rejected(description));
        return refusals.unauthorized(request);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
