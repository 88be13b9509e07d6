package dev.entramcp.adapter.http.support;

import dev.entramcp.adapter.http.audit.StructuredAuditLog;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.UserProfile;
import dev.entramcp.domain.port.in.AuthorizeToolCallUseCase;
import dev.entramcp.domain.port.in.CallToolUseCase;
import dev.entramcp.domain.port.in.ListToolsUseCase;
import dev.entramcp.domain.port.out.RecordAuditEventPort;
import dev.entramcp.domain.service.AuthorizeToolCallService;
import dev.entramcp.domain.service.CallToolService;
import dev.entramcp.domain.service.ListToolsService;
import dev.entramcp.domain.tool.GetUserProfileTool;
import dev.entramcp.domain.tool.SendMailTool;
import dev.entramcp.domain.tool.ToolCatalog;
import dev.entramcp.domain.tool.WhoAmITool;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What the app's composition root provides, built the same way with {@code new}: the domain's
 * tools and services, with lambda fakes for Graph, and the real audit adapter. Everything else
 * (authentication, challenges, transports) comes from this module's own beans and
 * {@code application-httptest.yml}.
 */
@Factory
public class TestWiring {

    /** What the fake Graph {@code /me} does; tests swap it. */
    @Singleton
    ProfileBehaviour profileBehaviour() {
        return new ProfileBehaviour();
    }

    @Singleton
    SentMail sentMail() {
        return new SentMail();
    }

    @Singleton
    ToolCatalog toolCatalog(ProfileBehaviour profiles, SentMail sentMail) {
        return ToolCatalog.of(
                new WhoAmITool(),
                new GetUserProfileTool(caller -> profiles.current.get().apply(caller)),
                new SendMailTool((caller, message) -> sentMail.subjects.add(message.subject())));
    }

    @Singleton
    RecordAuditEventPort auditTrail() {
        return new StructuredAuditLog();
    }

    @Singleton
    ListToolsUseCase listTools(ToolCatalog catalog, RecordAuditEventPort audit) {
        return new ListToolsService(catalog, audit, Clock.systemUTC());
    }

    @Singleton
    CallToolUseCase callTool(ToolCatalog catalog, RecordAuditEventPort audit) {
        return new CallToolService(catalog, audit, Clock.systemUTC());
    }

    @Singleton
    AuthorizeToolCallUseCase authorizeToolCall(ToolCatalog catalog, RecordAuditEventPort audit) {
        return new AuthorizeToolCallService(catalog, audit, Clock.systemUTC());
    }

    /** A switchable fake of Graph's {@code /me}. */
    public static final class ProfileBehaviour {
        public static final Function<CallerIdentity, UserProfile> DEFAULT = caller -> new UserProfile(
                caller.principal().objectId(), caller.displayName(), Optional.of(caller.username()),
                Optional.of(caller.username()), Optional.of("Engineer"), Optional.empty());

        public final AtomicReference<Function<CallerIdentity, UserProfile>> current = new AtomicReference<>(DEFAULT);

        public void reset() {
            current.set(DEFAULT);
        }
    }

    /** The subjects of the mails the fake Graph sent. */
    public static final class SentMail {
        public final List<String> subjects = new CopyOnWriteArrayList<>();
    }
}
