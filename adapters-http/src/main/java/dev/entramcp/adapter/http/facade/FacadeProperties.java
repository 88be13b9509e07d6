package dev.entramcp.adapter.http.facade;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * The raw {@code entramcp.facade.*} configuration, as written by the operator; {@link FacadeSettings#from}
 * validates it at start-up and says what to fix.
 *
 * <pre>
 * entramcp:
 *   facade:
 *     enabled: true                        # --facade; the authorization-server facade mode
 *     upstream-scopes: [User.Read, Mail.Send]  # what the server asks Entra for (offline_access is added)
 *     access-token-lifetime: 5m            # the server's own access tokens (1m to 60m)
 *     authorization-code-lifetime: 60s     # codes given to MCP clients (10s to 10m)
 *     refresh-token-idle-lifetime: 24h     # a refresh token unused this long is dead
 *     grant-lifetime: 7d                   # a grant ends this long after sign-in, whatever happens
 *     signing-key-rotation: 30d            # a new signing key this often (the old one stays published)
 *     store:
 *       type: memory                       # memory | file
 *       directory: /var/lib/entra-mcp/facade   # for 'file': owner-only, one process
 *       keys: [k2:BASE64, k1:BASE64]       # AES-256 keys, current first (ENTRAMCP_FACADE_STORE_KEYS)
 *     registration:
 *       enabled: true                      # RFC 7591 dynamic client registration
 *       max-per-minute: 60                 # registrations accepted per minute, server-wide
 *     cimd:
 *       enabled: true                      # Client ID Metadata Documents (https client ids)
 *       allow-loopback: false              # true only with a localhost public base URL (demo, tests)
 *       fetch-timeout: 5s
 *       max-document-bytes: 16384
 *       cache-ttl: 10m
 *       failure-cache-ttl: 60s             # a refused document is not fetched again before this
 *       max-concurrent-fetches: 4          # server-wide; more at once are refused, not queued
 *       trust-pem: /path/to/ca.pem         # optional: trust these certificates instead of the JDK's
 *     limits:                              # unauthenticated endpoints, per client address
 *       authorize-per-minute: 60
 *       register-per-minute: 10            # and registration.max-per-minute server-wide
 *       token-per-minute: 300              # /token and /revoke
 *       max-pending-authorizations: 10000  # consent pages awaiting an answer, server-wide
 *       max-tracked-addresses: 10000
 *       trust-forwarded-for: false       # true only behind a proxy that sets X-Forwarded-For
 * </pre>
 */
@ConfigurationProperties(FacadeProperties.PREFIX)
public class FacadeProperties {

    public static final String PREFIX = "entramcp.facade";
    /** The switch of the facade mode. */
    public static final String ENABLED = PREFIX + ".enabled";

    private boolean enabled;
    private List<String> upstreamScopes = List.of("User.Read", "Mail.Send");
    private Duration accessTokenLifetime = Duration.ofMinutes(5);
    private Duration authorizationCodeLifetime = Duration.ofSeconds(60);
    private Duration refreshTokenIdleLifetime = Duration.ofHours(24);
    private Duration grantLifetime = Duration.ofDays(7);
    private Duration signingKeyRotation = Duration.ofDays(30);
    private Store store = new Store();
    private Registration registration = new Registration();
    private Cimd cimd = new Cimd();
    private Limits limits = new Limits();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getUpstreamScopes() {
        return upstreamScopes;
    }

    public void setUpstreamScopes(List<String> upstreamScopes) {
        this.upstreamScopes = upstreamScopes;
    }

    public Duration getAccessTokenLifetime() {
        return accessTokenLifetime;
    }

    public void setAccessTokenLifetime(Duration accessTokenLifetime) {
        this.accessTokenLifetime = accessTokenLifetime;
    }

    public Duration getAuthorizationCodeLifetime() {
        return authorizationCodeLifetime;
    }

    public void setAuthorizationCodeLifetime(Duration authorizationCodeLifetime) {
        this.authorizationCodeLifetime = authorizationCodeLifetime;
    }

    public Duration getRefreshTokenIdleLifetime() {
        return refreshTokenIdleLifetime;
    }

    public void setRefreshTokenIdleLifetime(Duration refreshTokenIdleLifetime) {
        this.refreshTokenIdleLifetime = refreshTokenIdleLifetime;
    }

    public Duration getGrantLifetime() {
        return grantLifetime;
    }

    public void setGrantLifetime(Duration grantLifetime) {
        this.grantLifetime = grantLifetime;
    }

    public Duration getSigningKeyRotation() {
        return signingKeyRotation;
    }

    public void setSigningKeyRotation(Duration signingKeyRotation) {
        this.signingKeyRotation = signingKeyRotation;
    }

    public Store getStore() {
        return store;
    }

    public void setStore(Store store) {
        this.store = store;
    }

    public Registration getRegistration() {
        return registration;
    }

    public void setRegistration(Registration registration) {
        this.registration = registration;
    }

    public Cimd getCimd() {
        return cimd;
    }

    public void setCimd(Cimd cimd) {
        this.cimd = cimd;
    }

    public Limits getLimits() {
        return limits;
    }

    public void setLimits(Limits limits) {
        this.limits = limits;
    }

    /** {@code entramcp.facade.limits.*}: what an anonymous client address may ask of the facade. */
    @ConfigurationProperties("limits")
    public static class Limits {
        private int authorizePerMinute = 60;
        private int registerPerMinute = 10;
        private int tokenPerMinute = 300;
        private int maxPendingAuthorizations = 10_000;
        private int maxTrackedAddresses = 10_000;
        private boolean trustForwardedFor;

        public int getAuthorizePerMinute() {
            return authorizePerMinute;
        }

        public void setAuthorizePerMinute(int authorizePerMinute) {
            this.authorizePerMinute = authorizePerMinute;
        }

        public int getRegisterPerMinute() {
            return registerPerMinute;
        }

        public void setRegisterPerMinute(int registerPerMinute) {
            this.registerPerMinute = registerPerMinute;
        }

        public int getTokenPerMinute() {
            return tokenPerMinute;
        }

        public void setTokenPerMinute(int tokenPerMinute) {
            this.tokenPerMinute = tokenPerMinute;
        }

        public int getMaxPendingAuthorizations() {
            return maxPendingAuthorizations;
        }

        public void setMaxPendingAuthorizations(int maxPendingAuthorizations) {
            this.maxPendingAuthorizations = maxPendingAuthorizations;
        }

        public int getMaxTrackedAddresses() {
            return maxTrackedAddresses;
        }

        public void setMaxTrackedAddresses(int maxTrackedAddresses) {
            this.maxTrackedAddresses = maxTrackedAddresses;
        }

        public boolean isTrustForwardedFor() {
            return trustForwardedFor;
        }

        public void setTrustForwardedFor(boolean trustForwardedFor) {
            this.trustForwardedFor = trustForwardedFor;
        }
    }

    /** {@code entramcp.facade.store.*}. */
    @ConfigurationProperties("store")
    public static class Store {
        private String type = "memory";
        private String directory;
        private List<String> keys;

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public String getDirectory() {
            return directory;
        }

        public void setDirectory(String directory) {
            this.directory = directory;
        }

        public List<String> getKeys() {
            return keys;
        }

        public void setKeys(List<String> keys) {
            this.keys = keys;
        }

        @Override
        public String toString() {
            return "Store[type=" + type + ", directory=" + directory + ", keys=***]";
        }
    }

    /** {@code entramcp.facade.registration.*}. */
    @ConfigurationProperties("registration")
    public static class Registration {
        private boolean enabled = true;
        private int maxPerMinute = 60;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getMaxPerMinute() {
            return maxPerMinute;
        }

        public void setMaxPerMinute(int maxPerMinute) {
            this.maxPerMinute = maxPerMinute;
        }
    }

    /** {@code entramcp.facade.cimd.*}. */
    @ConfigurationProperties("cimd")
    public static class Cimd {
        private boolean enabled = true;
        private boolean allowLoopback;
        private Duration fetchTimeout = Duration.ofSeconds(5);
        private int maxDocumentBytes = 16 * 1024;
        private Duration cacheTtl = Duration.ofMinutes(10);
        private Duration failureCacheTtl = Duration.ofSeconds(60);
        private int maxConcurrentFetches = 4;
        private String trustPem;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isAllowLoopback() {
            return allowLoopback;
        }

        public void setAllowLoopback(boolean allowLoopback) {
            this.allowLoopback = allowLoopback;
        }

        public Duration getFetchTimeout() {
            return fetchTimeout;
        }

        public void setFetchTimeout(Duration fetchTimeout) {
            this.fetchTimeout = fetchTimeout;
        }

        public int getMaxDocumentBytes() {
            return maxDocumentBytes;
        }

        public void setMaxDocumentBytes(int maxDocumentBytes) {
            this.maxDocumentBytes = maxDocumentBytes;
        }

        public Duration getCacheTtl() {
            return cacheTtl;
        }

        public void setCacheTtl(Duration cacheTtl) {
            this.cacheTtl = cacheTtl;
        }

        public Duration getFailureCacheTtl() {
            return failureCacheTtl;
        }

        public void setFailureCacheTtl(Duration failureCacheTtl) {
            this.failureCacheTtl = failureCacheTtl;
        }

        public int getMaxConcurrentFetches() {
            return maxConcurrentFetches;
        }

        public void setMaxConcurrentFetches(int maxConcurrentFetches) {
            this.maxConcurrentFetches = maxConcurrentFetches;
        }

        public String getTrustPem() {
            return trustPem;
        }

        public void setTrustPem(String trustPem) {
            this.trustPem = trustPem;
        }
    }
}
