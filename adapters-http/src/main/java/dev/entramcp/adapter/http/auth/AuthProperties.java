package dev.entramcp.adapter.http.auth;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * The raw {@code entramcp.auth.*} configuration, as written by the operator. Nothing here is
 * trusted: {@link AuthSettings#from} validates all of it at start-up and says what to fix.
 *
 * <pre>
 * entramcp:
 *   http:
 *     public-base-url: https://mcp.example.com      # required: the URL clients use
 *   auth:
 *     tenant-id: 11111111-2222-3333-4444-555555555555  # required: your directory (tenant) id
 *     client-id: 66666666-7777-8888-9999-000000000000  # required: the API's application (client) id
 *     app-id-uri: api://66666666-...                 # default api://{client-id}
 *     allowed-tenants: [...]                          # default [tenant-id]; multi-tenant allow-list
 *     authority-host: https://login.microsoftonline.com  # the emulator's base URL in demo
 *     jwks-uri: ...                                   # default {authority-host}/{tenant-id}/discovery/v2.0/keys
 *     jwks-trust-pem: /path/emulator.pem              # trust only this certificate for the JWKS (demo)
 *     clock-skew: 60s                                 # at most 5m
 *     jwks-refresh-interval: 1h
 *     jwks-min-refetch-interval: 5m                   # least time between fetches on unknown kid
 *     jwks-fetch-timeout: 5s
 *     verified-token-cache-size: 10000                # 0 disables
 *     algorithms: [RS256]
 *     scopes: [User.Read, Mail.Send]                  # the API's scopes, as the domain names them
 *     challenge-scopes: [User.Read]                   # asked for in a 401; default: scopes
 *     scope-prefix: api://66666666-.../               # default {app-id-uri}/
 *     authorization-servers: [...]                    # default [{authority-host}/{tenant-id}/v2.0]
 *     resource-name: Contoso MCP                      # optional, for PRM
 * </pre>
 */
@ConfigurationProperties(AuthProperties.PREFIX)
public class AuthProperties {

    public static final String PREFIX = "entramcp.auth";

    private String tenantId;
    private List<String> allowedTenants;
    private String clientId;
    private String appIdUri;
    private String authorityHost = AuthSettings.DEFAULT_AUTHORITY_HOST;
    private String jwksUri;
    private String jwksTrustPem;
    private Duration clockSkew = AuthSettings.DEFAULT_CLOCK_SKEW;
    private Duration jwksRefreshInterval = AuthSettings.DEFAULT_JWKS_REFRESH_INTERVAL;
    private Duration jwksMinRefetchInterval = AuthSettings.DEFAULT_JWKS_MIN_REFETCH_INTERVAL;
    private Duration jwksFetchTimeout = AuthSettings.DEFAULT_JWKS_FETCH_TIMEOUT;
    private int verifiedTokenCacheSize = AuthSettings.DEFAULT_CACHE_SIZE;
    private List<String> algorithms = List.of("RS256");
    private List<String> scopes = List.of("User.Read");
    private List<String> challengeScopes;
    private String scopePrefix;
    private List<String> authorizationServers;
    private String resourceName;

    public String getTenantId() {
        return tenantId;
    }

    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public List<String> getAllowedTenants() {
        return allowedTenants;
    }

    public void setAllowedTenants(List<String> allowedTenants) {
        this.allowedTenants = allowedTenants;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getAppIdUri() {
        return appIdUri;
    }

    public void setAppIdUri(String appIdUri) {
        this.appIdUri = appIdUri;
    }

    public String getAuthorityHost() {
        return authorityHost;
    }

    public void setAuthorityHost(String authorityHost) {
        this.authorityHost = authorityHost;
    }

    public String getJwksUri() {
        return jwksUri;
    }

    public void setJwksUri(String jwksUri) {
        this.jwksUri = jwksUri;
    }

    public String getJwksTrustPem() {
        return jwksTrustPem;
    }

    public void setJwksTrustPem(String jwksTrustPem) {
        this.jwksTrustPem = jwksTrustPem;
    }

    public Duration getClockSkew() {
        return clockSkew;
    }

    public void setClockSkew(Duration clockSkew) {
        this.clockSkew = clockSkew;
    }

    public Duration getJwksRefreshInterval() {
        return jwksRefreshInterval;
    }

    public void setJwksRefreshInterval(Duration jwksRefreshInterval) {
        this.jwksRefreshInterval = jwksRefreshInterval;
    }

    public Duration getJwksMinRefetchInterval() {
        return jwksMinRefetchInterval;
    }

    public void setJwksMinRefetchInterval(Duration jwksMinRefetchInterval) {
        this.jwksMinRefetchInterval = jwksMinRefetchInterval;
    }

    public Duration getJwksFetchTimeout() {
        return jwksFetchTimeout;
    }

    public void setJwksFetchTimeout(Duration jwksFetchTimeout) {
        this.jwksFetchTimeout = jwksFetchTimeout;
    }

    public int getVerifiedTokenCacheSize() {
        return verifiedTokenCacheSize;
    }

    public void setVerifiedTokenCacheSize(int verifiedTokenCacheSize) {
        this.verifiedTokenCacheSize = verifiedTokenCacheSize;
    }

    public List<String> getAlgorithms() {
        return algorithms;
    }

    public void setAlgorithms(List<String> algorithms) {
        this.algorithms = algorithms;
    }

    public List<String> getScopes() {
        return scopes;
    }

    public void setScopes(List<String> scopes) {
        this.scopes = scopes;
    }

    public List<String> getChallengeScopes() {
        return challengeScopes;
    }

    public void setChallengeScopes(List<String> challengeScopes) {
        this.challengeScopes = challengeScopes;
    }

    public String getScopePrefix() {
        return scopePrefix;
    }

    public void setScopePrefix(String scopePrefix) {
        this.scopePrefix = scopePrefix;
    }

    public List<String> getAuthorizationServers() {
        return authorizationServers;
    }

    public void setAuthorizationServers(List<String> authorizationServers) {
        this.authorizationServers = authorizationServers;
    }

    public String getResourceName() {
        return resourceName;
    }

    public void setResourceName(String resourceName) {
        this.resourceName = resourceName;
    }
}
