package dev.entramcp.app.remote;

import dev.entramcp.adapter.entra.ClientCredentialConfig;
import dev.entramcp.adapter.entra.ConfidentialClientConfig;
import dev.entramcp.adapter.entra.EntraAuthority;
import dev.entramcp.adapter.entra.EntraOnBehalfOfClient;
import dev.entramcp.adapter.graph.GraphAdapter;
import dev.entramcp.adapter.graph.GraphConfig;
import dev.entramcp.adapter.graph.GraphHttpClients;
import dev.entramcp.adapter.http.audit.StructuredAuditLog;
import dev.entramcp.adapter.http.auth.AuthSettings;
import dev.entramcp.adapter.http.facade.FacadeProperties;
import dev.entramcp.domain.port.in.AuthorizeToolCallUseCase;
import dev.entramcp.domain.port.in.CallToolUseCase;
import dev.entramcp.domain.port.in.ListToolsUseCase;
import dev.entramcp.domain.port.out.AcquireDownstreamTokenPort;
import dev.entramcp.domain.port.out.RecordAuditEventPort;
import dev.entramcp.domain.service.AuthorizeToolCallService;
import dev.entramcp.domain.service.CallToolService;
import dev.entramcp.domain.service.ListToolsService;
import dev.entramcp.domain.tool.GetUserProfileTool;
import dev.entramcp.domain.tool.ListMyGroupsTool;
import dev.entramcp.domain.tool.SendMailTool;
import dev.entramcp.domain.tool.ToolCatalog;
import dev.entramcp.domain.tool.WhoAmITool;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * The remote scenario's composition root. Micronaut builds the HTTP side (transports, bearer
 * authentication, PRM) from {@code adapters-http}; everything of the domain is built here with
 * {@code new}, so the whole graph reads top to bottom: the Entra confidential client (On-Behalf-Of)
 * → Microsoft Graph → the tools → the use cases.
 */
@Factory
class RemoteWiring {

    @Singleton
    RecordAuditEventPort audit() {
        return new StructuredAuditLog();
    }

    /**
     * On-Behalf-Of the caller: the inbound token is sent only to Entra's token endpoint, as the
     * assertion. In facade mode the caller's token is the server's own, so {@link FacadeWiring}
     * provides the stored-token broker instead.
     */
    @Singleton
    @io.micronaut.context.annotation.Requires(property = FacadeProperties.ENABLED, notEquals = "true")
    AcquireDownstreamTokenPort downstreamTokens(AuthSettings auth, CredentialSettings credentials,
                                                @Value("${entramcp.entra.credential:secret}") String credentialKind,
                                                Optional<DemoTrust> demoTrust) {
        // Multi-tenant: each caller's token is exchanged at its own tenant's authority, for the
        // tenants the resource server lets in (and no others).
        ConfidentialClientConfig config = ConfidentialClientConfig.of(auth.clientId(), authority(auth),
                ClientCredentialConfig.of(credentialKind, credentials.lookup()))
                .withTenants(auth.allowedTenants());
        return new EntraOnBehalfOfClient(demoTrust
                .map(trust -> config.withSslSocketFactory(trust.sslContext().getSocketFactory()))
                .orElse(config));
    }

    @Singleton
    GraphAdapter graph(AcquireDownstreamTokenPort tokens, @Value("${entramcp.graph.base-url:`https://graph.microsoft.com/v1.0`}") URI graphBaseUrl,
                       Optional<DemoTrust> demoTrust) {
        GraphConfig config = GraphConfig.of(graphBaseUrl, GraphConfig.microsoftGraph().scopePrefix());
        return new GraphAdapter(config,
                demoTrust.map(DemoTrust::sslContext).map(GraphHttpClients::trusting).orElseGet(GraphHttpClients::standard),
                tokens);
    }

    /** The tools. Adding a tool is one line here (and one in app-local). */
    @Singleton
    ToolCatalog tools(GraphAdapter graph) {
        return ToolCatalog.of(
                new WhoAmITool(),
                new GetUserProfileTool(graph),
                new SendMailTool(graph),
                new ListMyGroupsTool(graph));
    }

    @Singleton
    ListToolsUseCase listTools(ToolCatalog tools, RecordAuditEventPort audit) {
        return new ListToolsService(tools, audit, Clock.systemUTC());
    }

    @Singleton
    CallToolUseCase callTool(ToolCatalog tools, RecordAuditEventPort audit) {
        return new CallToolService(tools, audit, Clock.systemUTC());
    }

    @Singleton
    AuthorizeToolCallUseCase authorizeToolCall(ToolCatalog tools, RecordAuditEventPort audit) {
        return new AuthorizeToolCallService(tools, audit, Clock.systemUTC());
    }

    /** The default credential source: the environment. Demo mode registers its own. */
    @Singleton
    @io.micronaut.context.annotation.Requires(missingBeans = CredentialSettings.class)
    CredentialSettings environmentCredentials() {
        return CredentialSettings.environment();
    }

    static EntraAuthority authority(AuthSettings auth) {
        URI host = auth.authorityHost();
        if (URI.create(EntraAuthority.PUBLIC_CLOUD.toString()).equals(stripTrailingSlash(host))) {
            return EntraAuthority.publicCloud(auth.tenantId());
        }
        String hostName = host.getHost();
        boolean loopback = "localhost".equals(hostName) || "127.0.0.1".equals(hostName);
        return loopback ? EntraAuthority.local(stripTrailingSlash(host), auth.tenantId())
                : EntraAuthority.cloud(stripTrailingSlash(host), auth.tenantId());
    }

    private static URI stripTrailingSlash(URI uri) {
        String text = uri.toString();
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }
}
