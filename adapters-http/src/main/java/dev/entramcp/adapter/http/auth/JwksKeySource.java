package dev.entramcp.adapter.http.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An issuer's signing keys, kept in memory from its remote JWKS and refreshed in the background.
 *
 * <ul>
 *   <li><b>Prefetched:</b> {@link #start()} fetches once before the server takes requests.</li>
 *   <li><b>Refreshed:</b> then again every {@code refreshInterval}, so a rotation is picked up.</li>
 *   <li><b>Refetched on demand, at a bounded rate:</b> a lookup for an unknown {@code kid} answers
 *       "unknown" at once and asks for a background refetch; at most one fetch starts per
 *       {@code minRefetchInterval}, however many unknown ids arrive (an attacker inventing
 *       {@code kid}s cannot make this server hammer the identity provider).</li>
 *   <li><b>Never on the request path:</b> {@link #find(String)} only reads memory.</li>
 *   <li><b>Outage-tolerant:</b> a failed fetch, or a set with no usable key, keeps the keys already
 *       cached; tokens keep verifying while the endpoint is down.</li>
 *   <li><b>Removal honoured:</b> a successful fetch replaces the set, so a key the issuer withdrew
 *       stops verifying tokens.</li>
 * </ul>
 */
public final class JwksKeySource implements SigningKeys, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JwksKeySource.class);
    private static final long NEVER = Long.MIN_VALUE;

    private final String name;
    private final JwksFetcher fetcher;
    private final Clock clock;
    private final Duration refreshInterval;
    private final long minRefetchMillis;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong lastAttemptMillis = new AtomicLong(NEVER);
    /** kid to key; {@code null} until the first successful fetch. Replaced whole, never mutated. */
    private volatile Map<String, VerificationKey> keys;

    /**
     * @param name               what to call this key set in logs (its URL: a JWKS is public)
     * @param fetcher            fetches the set
     * @param clock              paces the on-demand refetches
     * @param refreshInterval    time between routine refreshes
     * @param minRefetchInterval least time between two fetch attempts triggered by lookups
     */
    public JwksKeySource(String name, JwksFetcher fetcher, Clock clock, Duration refreshInterval,
                         Duration minRefetchInterval) {
        this.name = Objects.requireNonNull(name, "'name' must not be null");
        this.fetcher = Objects.requireNonNull(fetcher, "'fetcher' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.refreshInterval = requirePositive(refreshInterval, "refreshInterval");
        this.minRefetchMillis = requirePositive(minRefetchInterval, "minRefetchInterval").toMillis();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "entramcp-jwks-refresh");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
    }

    /**
     * Fetches the keys now (on the calling thread, bounded by the fetcher's timeout), then schedules
     * the routine refresh. A failure is logged, not thrown: the server starts, answers 503 until a
     * key set arrives, and retries at the on-demand rate.
     */
    public JwksKeySource start() {
        refresh();
        scheduler.scheduleWithFixedDelay(this::refresh, refreshInterval.toMillis(), refreshInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public Lookup find(String keyId) {
        Map<String, VerificationKey> current = keys;
        if (current == null) {
            requestRefetch();
            return Lookup.Missing.NOT_LOADED;
        }
        VerificationKey key = current.get(keyId);
        if (key == null) {
            requestRefetch();
            return Lookup.Missing.UNKNOWN_KEY;
        }
        return new Lookup.Found(key);
    }

    /** Whether a key set has been loaded at least once. */
    public boolean isLoaded() {
        return keys != null;
    }

    /** The ids of the keys in memory now, for diagnostics (key ids are public). */
    public Set<String> keyIds() {
        Map<String, VerificationKey> current = keys;
        return current == null ? Set.of() : Set.copyOf(current.keySet());
    }

    /**
     * Asks for a background fetch, unless one was attempted less than {@code minRefetchInterval}
     * ago. Returns at once.
     *
     * @return whether a fetch was scheduled
     */
    public boolean requestRefetch() {
        long now = clock.millis();
        long last = lastAttemptMillis.get();
        if (last != NEVER && now - last < minRefetchMillis) {
            return false;
        }
        if (!lastAttemptMillis.compareAndSet(last, now)) {
            return false;
        }
        if (scheduler.isShutdown()) {
            return false;
        }
        scheduler.execute(this::fetchAndReplace);
        if (keys == null) {
            LOG.debug("No key set from {} yet; fetch requested", name);
        }
        return true;
    }

    /**
     * Waits until every fetch requested so far has finished (the refresh runs on one thread, in
     * order). For an orderly start-up or a test; the request path never calls it.
     */
    public void awaitPendingRefresh(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            scheduler.submit(() -> { }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the refresh thread failed", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private void refresh() {
        lastAttemptMillis.set(clock.millis());
        fetchAndReplace();
        if (keys == null && !scheduler.isShutdown()) {
            scheduler.schedule(this::retryUntilLoaded, minRefetchMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void retryUntilLoaded() {
        if (keys == null) {
            refresh();
        }
    }

    private void fetchAndReplace() {
        JWKSet fetched;
        try {
            fetched = fetcher.fetch();
        } catch (IOException | RuntimeException e) {
            Map<String, VerificationKey> current = keys;
            LOG.warn("Could not fetch the JWKS from {} ({}); {}", name, e.getMessage(),
                    current == null ? "no key is loaded yet, tokens cannot be verified"
                            : "keeping the " + current.size() + " cached key(s)");
            return;
        }
        Map<String, VerificationKey> previous = keys;
        Map<String, VerificationKey> loaded = usableKeys(fetched, previous == null ? Map.of() : previous);
        if (loaded.isEmpty()) {
            LOG.warn("The JWKS from {} has no usable signing key; {}", name,
                    previous == null ? "no key is loaded yet" : "keeping the " + previous.size() + " cached key(s)");
            return;
        }
        keys = loaded;
        if (previous == null || !previous.keySet().equals(loaded.keySet())) {
            LOG.info("Signing keys from {} are now {}", name, loaded.keySet());
        }
    }

    /** The keys of the set that can verify signatures; unchanged keys keep their verifier object. */
    private Map<String, VerificationKey> usableKeys(JWKSet set, Map<String, VerificationKey> previous) {
        Map<String, VerificationKey> usable = new LinkedHashMap<>();
        Set<String> duplicated = new HashSet<>();
        for (JWK jwk : set.getKeys()) {
            VerificationKey key;
            try {
                VerificationKey old = jwk.getKeyID() == null ? null : previous.get(jwk.getKeyID());
                key = old != null && old.sameKeyAs(jwk) ? old : VerificationKey.from(jwk);
            } catch (IllegalArgumentException e) {
                LOG.debug("Skipping key {} from {}: {}", jwk.getKeyID(), name, e.getMessage());
                continue;
            }
            if (jwk.isPrivate()) {
                LOG.error("The JWKS from {} publishes PRIVATE key material for kid {}; only its public part is used",
                        name, key.keyId());
            }
            if (usable.put(key.keyId(), key) != null) {
                duplicated.add(key.keyId());
            }
        }
        if (!duplicated.isEmpty()) {
            LOG.warn("The JWKS from {} has several keys with kid {}; those ids are ignored", name, duplicated);
            usable.keySet().removeAll(duplicated);
        }
        return Map.copyOf(usable);
    }

    private static Duration requirePositive(Duration value, String field) {
        Objects.requireNonNull(value, "'" + field + "' must not be null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("'" + field + "' must be positive");
        }
        return value;
    }
}
