package dev.entramcp.adapter.graph;

import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.GroupPage;
import dev.entramcp.domain.model.GroupQuery;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.model.Require;
import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UserProfile;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;
import dev.entramcp.domain.port.out.ListMyGroupsPort;
import dev.entramcp.domain.port.out.LoadUserProfilePort;
import dev.entramcp.domain.port.out.SendMailPort;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Optional;

/**
 * Microsoft Graph as the domain needs it: the caller's profile ({@code GET /me}), sending a
 * plain-text mail as the caller ({@code POST /me/sendMail}) and one page of the caller's groups
 * ({@code GET /me/memberOf}), over the JDK {@link HttpClient} (see ADR 0002 for why not the Graph SDK).
 *
 * <p><b>Tokens.</b> For every call it asks the injected {@link AcquireDownstreamTokenPort} for a
 * Graph token with the one permission that call needs ({@code <scopePrefix>User.Read},
 * {@code <scopePrefix>Mail.Send} or {@code <scopePrefix>GroupMember.Read.All}) and sends exactly that token. It never sends, nor even reads,
 * the caller's inbound token ({@link CallerIdentity#assertion()}): that token's audience is this
 * server, not Graph. No token is ever logged or put in a message.
 *
 * <p><b>Failures</b> arrive as a {@link ToolFailureException}: 401 → sign in again (after one
 * repeat with a refreshed token, when a {@link RefreshDownstreamToken} is wired), 403 → consent
 * or permission missing (with Graph's error code), 429/503 that outlast the retry budget →
 * throttled (with the wait), other 5xx, timeouts and I/O errors → downstream unavailable. See
 * {@link GraphCalls} for what is retried and why {@code sendMail} is retried only when Graph
 * says it did not process it.
 *
 * <p><b>Caching.</b> {@code /me} answers are kept per user (tenant and object id) for
 * {@link GraphConfig#profileCacheTtl()}; mail and groups are never cached.
 *
 * <p><b>Paging.</b> A list is read one bounded page at a time: the adapter asks for {@code $top}
 * entries, reads no more than that, and never follows Graph's {@code @odata.nextLink}. It only
 * reports that more exist. Following a next link blindly would also mean sending the Graph token
 * to whatever URL an answer names.
 *
 * <p>Wiring: {@code new GraphAdapter(GraphConfig.microsoftGraph(), GraphHttpClients.standard(), tokenPort)},
 * then hand the same instance to {@code GetUserProfileTool}, {@code SendMailTool} and {@code ListMyGroupsTool}.
 */
public final class GraphAdapter implements LoadUserProfilePort, SendMailPort, ListMyGroupsPort {

    /** The delegated Graph permission {@code GET /me} needs. */
    public static final String USER_READ = "User.Read";
    /** The delegated Graph permission {@code POST /me/sendMail} needs. */
    public static final String MAIL_SEND = "Mail.Send";
    /**
     * The delegated Graph permission {@code GET /me/memberOf} needs to show group names (with {@code User.Read}
     * alone Graph lists the groups "with limited information": ids, no names). Only an administrator can grant it.
     */
    public static final String GROUP_MEMBER_READ_ALL = "GroupMember.Read.All";

    private final GraphCalls calls;
    private final Optional<ProfileCache> profiles;

    /**
     * The production adapter: system clock, real sleeping, full jitter.
     *
     * @param config Graph's address, scopes, timeouts, retry policy and cache
     * @param http   the client to send with; it must not follow redirects (a redirect would carry the
     *               Graph token to another address). To trust a private CA (the emulator), build it with
     *               an {@code SSLContext}, see {@link GraphHttpClients#trusting}.
     * @param tokens where Graph tokens come from, per caller and scope
     */
    public GraphAdapter(GraphConfig config, HttpClient http, AcquireDownstreamTokenPort tokens) {
        this(config, http, tokens, Clock.systemUTC(), Sleeper.real(), Jitter.full());
    }

    /**
     * The adapter with its time made injectable, for tests: {@code clock} dates the profile cache
     * and {@code Retry-After} HTTP-dates, {@code sleeper} waits between attempts, {@code jitter}
     * picks each back-off delay below its ceiling.
     */
    public GraphAdapter(GraphConfig config, HttpClient http, AcquireDownstreamTokenPort tokens,
                        Clock clock, Sleeper sleeper, Jitter jitter) {
        this(config, http, tokens, Optional.empty(), clock, sleeper, jitter);
    }

    /**
     * The production adapter that, when Graph answers 401, asks {@code refresh} once for a token
     * that is not the cached one and repeats the call with it (see {@link RefreshDownstreamToken}).
     */
    public GraphAdapter(GraphConfig config, HttpClient http, AcquireDownstreamTokenPort tokens, RefreshDownstreamToken refresh) {
        this(config, http, tokens, Optional.of(refresh), Clock.systemUTC(), Sleeper.real(), Jitter.full());
    }

    /** Every choice explicit, for tests: {@code refresh} empty means a 401 is final. */
    public GraphAdapter(GraphConfig config, HttpClient http, AcquireDownstreamTokenPort tokens,
                        Optional<RefreshDownstreamToken> refresh, Clock clock, Sleeper sleeper, Jitter jitter) {
        Require.notNull(config, "config");
        Require.notNull(refresh, "refresh");
        Require.notNull(http, "http");
        Require.notNull(tokens, "tokens");
        Require.notNull(clock, "clock");
        Require.notNull(sleeper, "sleeper");
        Require.notNull(jitter, "jitter");
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("'http' must not follow redirects: a redirect would carry the Graph token"
                    + " to another address (build it with followRedirects(HttpClient.Redirect.NEVER))");
        }
        this.calls = new GraphCalls(config, http, tokens, refresh, clock, sleeper, jitter);
        this.profiles = config.profileCacheEnabled()
                ? Optional.of(new ProfileCache(config.profileCacheTtl(), config.profileCacheMaxEntries(), clock))
                : Optional.empty();
    }

    /** {@code GET /me?$select=id,displayName,userPrincipalName,mail,jobTitle,officeLocation}, cached per user. */
    @Override
    public UserProfile loadUserProfile(CallerIdentity caller) {
        Require.notNull(caller, "caller");
        Optional<UserProfile> cached = profiles.flatMap(cache -> cache.get(caller.principal()));
        if (cached.isPresent()) {
            return cached.get();
        }
        byte[] answer = calls.execute(caller, GraphOperation.READ_PROFILE, Optional.empty());
        UserProfile profile;
        try {
            profile = GraphJson.profile(answer);
        } catch (IllegalArgumentException e) {
            throw new ToolFailureException(new ToolFailure.DownstreamUnavailable(
                    "Microsoft Graph answered with a profile that could not be read (" + e.getMessage() + ")."));
        }
        profiles.ifPresent(cache -> cache.put(caller.principal(), profile));
        return profile;
    }

    /** {@code POST /me/sendMail}: a plain-text message, saved to Sent Items. Never cached, never repeated blindly. */
    @Override
    public void sendMail(CallerIdentity caller, MailMessage message) {
        Require.notNull(caller, "caller");
        Require.notNull(message, "message");
        calls.execute(caller, GraphOperation.SEND_MAIL, Optional.of(GraphJson.sendMailRequest(message)));
    }

    // snippet:graph-list-groups-adapter
    /** {@code GET /me/memberOf?$select=id,displayName,description&$top=N}: one page, groups only, never cached. */
    @Override
    public GroupPage listMyGroups(CallerIdentity caller, GroupQuery query) {
        Require.notNull(caller, "caller");
        Require.notNull(query, "query");
        byte[] answer = calls.execute(caller, GraphOperation.listGroups(query.top()), Optional.empty());
        try {
            return GraphJson.groupPage(answer, query.top());
        } catch (IllegalArgumentException e) {
            throw new ToolFailureException(new ToolFailure.DownstreamUnavailable(
                    "Microsoft Graph answered with a list of groups that could not be read (" + e.getMessage() + ")."));
        }
    }
    // end-snippet
}
