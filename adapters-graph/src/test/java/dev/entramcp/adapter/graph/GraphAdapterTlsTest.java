package dev.entramcp.adapter.graph;

import dev.entramcp.domain.model.ToolFailure;
import dev.entramcp.domain.model.ToolFailureException;
import dev.entramcp.domain.model.UserProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Graph over TLS with a private certificate, as the emulator serves it: the adapter works with
 * an {@code HttpClient} built with an {@code SSLContext} that trusts that certificate, and the
 * default client (trusting only public CAs) refuses the same server.
 */
class GraphAdapterTlsTest {

    private static GraphTestbed bed;
    private static LoopbackTls tls;

    @BeforeAll
    static void start(@TempDir Path directory) throws Exception {
        tls = LoopbackTls.generate(directory);
        bed = new GraphTestbed(FakeGraph.startTls(tls.server()));
    }

    @AfterAll
    static void stop() {
        bed.close();
    }

    @Test
    void givenClientTrustingTheLoopbackCertificate_loadUserProfile_worksOverHttps() {
        GraphAdapter graph = new GraphAdapter(bed.config(), GraphHttpClients.trusting(tls.client()), bed.tokens,
                bed.clock, bed.sleeper, bed.jitter);

        UserProfile profile = graph.loadUserProfile(bed.alice);

        assertThat(bed.graph.baseUrl().getScheme()).isEqualTo("https");
        assertThat(profile).isEqualTo(bed.aliceProfile);
    }

    @Test
    void givenClientTrustingOnlyPublicAuthorities_loadUserProfile_failsAsUnavailableWithoutRetrying() {
        RecordingSleeper sleeper = new RecordingSleeper();
        GraphAdapter graph = new GraphAdapter(bed.config(), GraphHttpClients.standard(), bed.tokens, bed.clock,
                sleeper, bed.jitter);

        assertThatExceptionOfType(ToolFailureException.class)
                .isThrownBy(() -> graph.loadUserProfile(bed.alice))
                .satisfies(e -> assertThat(e.failure()).isInstanceOf(ToolFailure.DownstreamUnavailable.class))
                .withMessageContaining("TLS handshake")
                .withMessageContaining("not trusted");
        assertThat(sleeper.delays()).isEmpty();
    }
}
