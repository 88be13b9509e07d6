package dev.entramcp.adapter.http.transport;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw {@code entramcp.mcp.*} configuration, as Micronaut binds it. It is checked and turned
 * into {@link McpTransportSettings} at start-up; read the defaults and meaning there.
 */
@ConfigurationProperties("entramcp.mcp")
public class McpHttpProperties {

    private String mode = "stateful";
    private List<String> allowedOrigins = new ArrayList<>();
    private List<String> allowedHosts = new ArrayList<>(List.of("localhost", "127.0.0.1", "[::1]"));
    private long maxBodyBytes = 1024 * 1024;
    private Duration sessionIdleTimeout = Duration.ofMinutes(30);
    private int maxSessionsPerPrincipal = 32;
    private Duration keepAliveInterval = Duration.ofSeconds(60);
    private Duration maxStreamLifetime = Duration.ofMinutes(60);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private LegacySse legacySse = new LegacySse();
    private RateLimit rateLimit = new RateLimit();

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    public List<String> getAllowedHosts() {
        return allowedHosts;
    }

    public void setAllowedHosts(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts;
    }

    public long getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public void setMaxBodyBytes(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public Duration getSessionIdleTimeout() {
        return sessionIdleTimeout;
    }

    public void setSessionIdleTimeout(Duration sessionIdleTimeout) {
        this.sessionIdleTimeout = sessionIdleTimeout;
    }

    public int getMaxSessionsPerPrincipal() {
        return maxSessionsPerPrincipal;
    }

    public void setMaxSessionsPerPrincipal(int maxSessionsPerPrincipal) {
        this.maxSessionsPerPrincipal = maxSessionsPerPrincipal;
    }

    public Duration getKeepAliveInterval() {
        return keepAliveInterval;
    }

    public void setKeepAliveInterval(Duration keepAliveInterval) {
        this.keepAliveInterval = keepAliveInterval;
    }

    public Duration getMaxStreamLifetime() {
        return maxStreamLifetime;
    }

    public void setMaxStreamLifetime(Duration maxStreamLifetime) {
        this.maxStreamLifetime = maxStreamLifetime;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public LegacySse getLegacySse() {
        return legacySse;
    }

    public void setLegacySse(LegacySse legacySse) {
        this.legacySse = legacySse;
    }

    public RateLimit getRateLimit() {
        return rateLimit;
    }

    public void setRateLimit(RateLimit rateLimit) {
        this.rateLimit = rateLimit;
    }

    /** {@code entramcp.mcp.legacy-sse.*}. */
    @ConfigurationProperties("legacy-sse")
    public static class LegacySse {
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code entramcp.mcp.rate-limit.*}. */
    @ConfigurationProperties("rate-limit")
    public static class RateLimit {
        private boolean enabled = true;
        private double requestsPerSecond = 10;
        private int burst = 40;
        private int maxTrackedPrincipals = 10_000;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public double getRequestsPerSecond() {
            return requestsPerSecond;
        }

        public void setRequestsPerSecond(double requestsPerSecond) {
            this.requestsPerSecond = requestsPerSecond;
        }

        public int getBurst() {
            return burst;
        }

        public void setBurst(int burst) {
            this.burst = burst;
        }

        public int getMaxTrackedPrincipals() {
            return maxTrackedPrincipals;
        }

        public void setMaxTrackedPrincipals(int maxTrackedPrincipals) {
            this.maxTrackedPrincipals = maxTrackedPrincipals;
        }
    }
}
