package dev.entramcp.bench.jmh;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import dev.entramcp.adapter.http.auth.BearerTokenVerifier;
import dev.entramcp.adapter.http.auth.SigningKeys;
import dev.entramcp.adapter.http.auth.TokenVerification;
import dev.entramcp.adapter.http.auth.TrustedIssuer;
import dev.entramcp.emulator.AppRegistration;
import dev.entramcp.emulator.EntraEmulator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * J1, bearer validation: adapters-http's {@link BearerTokenVerifier}, the strict check every
 * request of the remote server passes, on access tokens exactly as the Entra emulator issues them
 * to the demo client for the remote API (RS256, 2048-bit key, Entra's claims), with the emulator's
 * published JWKS loaded once in the set-up (as the server prefetches it).
 * <ul>
 *   <li>{@code cold}: the verified-token cache disabled, so every call parses the token, checks
 *       the RS256 signature and every claim rule.</li>
 *   <li>{@code coldMiss}: the cache on but never hit (1,024 distinct tokens through a cache of
 *       16): the full check plus hashing the token and remembering it.</li>
 *   <li>{@code cached}: the same token again: SHA-256 of the token, the cache lookup, the
 *       {@code exp} check and the signing key still published.</li>
 * </ul>
 *
 * <p><b>Sampled, reported by the median.</b> On a shared machine an operation is now and then
 * descheduled for a whole time slice (milliseconds), which drags the mean of a 50 µs operation far
 * above what it costs; the median of sampled operations is what one validation costs. bench/run
 * reports the median as {@code J1_cold_us}/{@code J1_cached_us} and keeps the mean and p99 beside it.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class BearerValidationBenchmark {

    private static final int DISTINCT_TOKENS = 1024;

    private EntraEmulator emulator;
    private BearerTokenVerifier uncached;
    private BearerTokenVerifier cachedVerifier;
    private BearerTokenVerifier smallCache;
    private String token;
    private String[] tokens;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        emulator = EntraEmulator.start();
        AppRegistration api = emulator.apps().remote();
        String demoClient = emulator.apps().demo().clientId();
        HttpClient http = HttpClient.newBuilder().sslContext(emulator.sslContext()).build();
        JWKSet jwks = JWKSet.parse(http.send(HttpRequest.newBuilder(emulator.jwksUri()).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        TrustedIssuer issuer = TrustedIssuer.entraTenant(emulator.baseUrl(), emulator.tenantId(),
                Set.of(api.clientId(), api.appIdUri()), Set.of(JWSAlgorithm.RS256), SigningKeys.of(jwks));
        uncached = new BearerTokenVerifier(List.of(issuer), Duration.ofSeconds(60), Clock.systemUTC(), 0);
        cachedVerifier = new BearerTokenVerifier(List.of(issuer), Duration.ofSeconds(60), Clock.systemUTC(), 10_000);
        smallCache = new BearerTokenVerifier(List.of(issuer), Duration.ofSeconds(60), Clock.systemUTC(), 16);
        token = emulator.control().issueAccessToken("alice", demoClient, api.appIdUri() + "/User.Read", api.appIdUri() + "/Mail.Send");
        tokens = new String[DISTINCT_TOKENS];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = emulator.control().issueAccessToken("alice", demoClient, api.appIdUri() + "/User.Read");
        }
        for (String each : List.of(token, tokens[0], tokens[DISTINCT_TOKENS - 1])) {
            if (!(uncached.verify(each) instanceof TokenVerification.Verified)) {
                throw new IllegalStateException("the emulator's token does not verify: " + uncached.verify(each));
            }
        }
        if (Set.of(tokens).size() != DISTINCT_TOKENS) {
            throw new IllegalStateException("the emulator minted identical tokens");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        emulator.close();
    }

    @Benchmark
    public TokenVerification cold() {
        return uncached.verify(token);
    }

    @Benchmark
    public TokenVerification coldMiss() {
        String each = tokens[next];
        next = (next + 1) % DISTINCT_TOKENS;
        return smallCache.verify(each);
    }

    @Benchmark
    public TokenVerification cached() {
        return cachedVerifier.verify(token);
    }
}
