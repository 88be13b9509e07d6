package dev.entramcp.app.local;

import dev.entramcp.adapter.graph.GraphAdapter;
import dev.entramcp.domain.model.CallerIdentity;
import dev.entramcp.domain.model.GroupPage;
import dev.entramcp.domain.model.GroupQuery;
import dev.entramcp.domain.model.MailMessage;
import dev.entramcp.domain.model.UserProfile;
import dev.entramcp.domain.port.out.ListMyGroupsPort;
import dev.entramcp.domain.port.out.LoadUserProfilePort;
import dev.entramcp.domain.port.out.SendMailPort;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Microsoft Graph, built on the first tool call that needs it. Building the
 * {@link GraphAdapter} builds its {@link java.net.http.HttpClient} and TLS context, which a
 * server that only answers {@code tools/list} or {@code whoami} never needs; an MCP client spawns
 * this process on demand, so that work stays off the start-up path. Built once, then shared.
 */
final class LazyGraph implements LoadUserProfilePort, SendMailPort, ListMyGroupsPort {

    private final Supplier<GraphAdapter> factory;
    private volatile GraphAdapter graph;

    LazyGraph(Supplier<GraphAdapter> factory) {
        this.factory = Objects.requireNonNull(factory, "'factory' must not be null");
    }

    @Override
    public UserProfile loadUserProfile(CallerIdentity caller) {
        return graph().loadUserProfile(caller);
    }

    @Override
    public void sendMail(CallerIdentity caller, MailMessage message) {
        graph().sendMail(caller, message);
    }

    @Override
    public GroupPage listMyGroups(CallerIdentity caller, GroupQuery query) {
        return graph().listMyGroups(caller, query);
    }

    /** Whether the adapter has been built yet. */
    boolean isBuilt() {
        return graph != null;
    }

    private GraphAdapter graph() {
        GraphAdapter built = graph;
        if (built == null) {
            synchronized (this) {
                built = graph;
                if (built == null) {
                    built = Objects.requireNonNull(factory.get(), "the Graph factory returned null");
                    graph = built;
                }
            }
        }
        return built;
    }
}
