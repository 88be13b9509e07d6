package dev.entramcp.adapter.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.entramcp.adapter.http.support.JwksServer;
import dev.entramcp.adapter.http.support.MutableClock;
import dev.entramcp.adapter.http.support.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.entramcp.adapter.http.support.TestTokens.ROTATED_KEY;
import static dev.entramcp.adapter.http.support.TestTokens.TENANT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JwksKeySourceTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final MutableClock clock = MutableClock.atNow();
    private final AtomicReference<JWKSet> published = new AtomicReference<>(TestTokens.publicSet(TENANT_KEY));
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile boolean endpointDown;
    private final JwksFetcher fetcher = () -> {
        fetches.incrementAndGet();
        if (endpointDown) {
            throw new IOException("JWKS endpoint answered HTTP 503");
        }
        return published.get();
    };
    private JwksKeySource source;

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
    }

    private JwksKeySource started() {
        source = new JwksKeySource("test-jwks", fetcher, clock, Duration.ofHours(1), Duration.ofMinutes(5)).start();
        return source;
    }

    @Test
    void givenAReachableEndpoint_start_prefetchesTheKeysBeforeAnyLookup() {
        JwksKeySource keys = started();

        assertThat(fetches).hasValue(1);
        assertThat(keys.find("tenant-key-1")).isInstanceOf(SigningKeys.Lookup.Found.class);
        assertThat(fetches).as("a known kid never fetches").hasValue(1);
    }

    @Test
    void givenManyUnknownKids_find_answersAtOnceAndFetchesAtMostOncePerInterval() throws Exception {
        JwksKeySource keys = started();
        clock.advance(Duration.ofMinutes(5));

        for (int i = 0; i < 50; i++) {
            assertThat(keys.find("invented-" + i)).isEqualTo(SigningKeys.Lookup.Missing.UNKNOWN_KEY);
        }
        keys.awaitPendingRefresh(WAIT);
        assertThat(fetches).hasValue(2);

        clock.advance(Duration.ofMinutes(4));
        keys.find("invented-again");
        keys.awaitPendingRefresh(WAIT);
        assertThat(fetches).as("still within the interval").hasValue(2);

        clock.advance(Duration.ofMinutes(1));
        keys.find("invented-later");
        keys.awaitPendingRefresh(WAIT);
        assertThat(fetches).hasValue(3);
    }

    @Test
    void givenARotatedKey_findAfterTheBackgroundRefetch_findsIt() throws Exception {
        JwksKeySource keys = started();
        published.set(TestTokens.publicSet(TENANT_KEY, ROTATED_KEY));
        clock.advance(Duration.ofMinutes(5));

        assertThat(keys.find("tenant-key-2")).isEqualTo(SigningKeys.Lookup.Missing.UNKNOWN_KEY);
        keys.awaitPendingRefresh(WAIT);

        assertThat(keys.find("tenant-key-2")).isInstanceOf(SigningKeys.Lookup.Found.class);
    }

    @Test
    void givenTheEndpointDown_refresh_keepsTheCachedKeys() throws Exception {
        JwksKeySource keys = started();
        endpointDown = true;
        clock.advance(Duration.ofMinutes(5));

        keys.requestRefetch();
        keys.awaitPendingRefresh(WAIT);

        assertThat(fetches).hasValue(2);
        assertThat(keys.find("tenant-key-1")).isInstanceOf(SigningKeys.Lookup.Found.class);
    }

    @Test
    void givenASetWithNoUsableKey_refresh_keepsTheCachedKeys() throws Exception {
        JwksKeySource keys = started();
        published.set(new JWKSet(List.of(hmacKey())));
        clock.advance(Duration.ofMinutes(5));

        keys.requestRefetch();
        keys.awaitPendingRefresh(WAIT);

        assertThat(keys.keyIds()).containsExactly("tenant-key-1");
    }

    @Test
    void givenAKeyWithdrawnByTheIssuer_refresh_stopsTrustingIt() throws Exception {
        JwksKeySource keys = started();
        published.set(TestTokens.publicSet(ROTATED_KEY));
        clock.advance(Duration.ofMinutes(5));

        keys.requestRefetch();
        keys.awaitPendingRefresh(WAIT);

        assertThat(keys.keyIds()).containsExactly("tenant-key-2");
        assertThat(keys.find("tenant-key-1")).isEqualTo(SigningKeys.Lookup.Missing.UNKNOWN_KEY);
    }

    @Test
    void givenAnUnchangedKey_refresh_keepsTheSameVerificationKeyObject() throws Exception {
        JwksKeySource keys = started();
        VerificationKey before = ((SigningKeys.Lookup.Found) keys.find("tenant-key-1")).key();
        clock.advance(Duration.ofMinutes(5));

        keys.requestRefetch();
        keys.awaitPendingRefresh(WAIT);

        assertThat(((SigningKeys.Lookup.Found) keys.find("tenant-key-1")).key()).isSameAs(before);
    }

    @Test
    void givenTheEndpointDownAtStart_find_answersNotLoadedUntilARetrySucceeds() throws Exception {
        endpointDown = true;
        JwksKeySource keys = started();
        assertThat(keys.isLoaded()).isFalse();
        assertThat(keys.find("tenant-key-1")).isEqualTo(SigningKeys.Lookup.Missing.NOT_LOADED);

        endpointDown = false;
        clock.advance(Duration.ofMinutes(5));
        keys.find("tenant-key-1");
        keys.awaitPendingRefresh(WAIT);

        assertThat(keys.find("tenant-key-1")).isInstanceOf(SigningKeys.Lookup.Found.class);
    }

    @Test
    void givenSymmetricShortOrEncryptionKeys_verificationKey_refusesThem() throws JOSEException {
        RSAKey shortKey = new RSAKeyGenerator(1024, true).keyID("short").generate();
        RSAKey encryptionKey = new RSAKey.Builder(TENANT_KEY.toRSAPublicKey()).keyID("enc").keyUse(KeyUse.ENCRYPTION).build();

        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> VerificationKey.from(hmacKey()))
                .withMessageContaining("symmetric");
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> VerificationKey.from(shortKey))
                .withMessageContaining("2048");
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> VerificationKey.from(encryptionKey))
                .withMessageContaining("'use'");
        assertThat(VerificationKey.from(TENANT_KEY).jwk().isPrivate()).as("only the public part is kept").isFalse();
    }

    @Test
    void givenALoopbackJwksEndpoint_httpFetcher_readsTheSet() throws Exception {
        try (JwksServer server = JwksServer.serving(TestTokens.publicSet(TENANT_KEY, ROTATED_KEY))) {
            HttpJwksFetcher http = HttpJwksFetcher.create(URI.create(server.keysUrl(TestTokens.TENANT)), Optional.empty(),
                    Duration.ofSeconds(20));

            assertThat(http.fetch().getKeys()).extracting(key -> key.getKeyID()).containsExactly("tenant-key-1", "tenant-key-2");
        }
    }

    @Test
    void givenAFailingJwksEndpoint_httpFetcher_throwsASafeMessage() throws Exception {
        try (JwksServer server = JwksServer.startingDown(TestTokens.publicSet(TENANT_KEY))) {
            HttpJwksFetcher http = HttpJwksFetcher.create(URI.create(server.keysUrl(TestTokens.TENANT)), Optional.empty(),
                    Duration.ofSeconds(20));

            assertThatExceptionOfType(IOException.class).isThrownBy(http::fetch)
                    .withMessage("JWKS endpoint answered HTTP 503");
        }
    }

    private static OctetSequenceKey hmacKey() {
        try {
            return new OctetSequenceKeyGenerator(256).keyID("hmac").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
