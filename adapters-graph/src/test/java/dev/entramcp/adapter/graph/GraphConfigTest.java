package dev.entramcp.adapter.graph;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The configuration refuses what would be unsafe or meaningless, and says which field is wrong. */
class GraphConfigTest {

    private static final GraphConfig VALID = GraphConfig.microsoftGraph();

    @Test
    void givenDefaults_microsoftGraph_pointsAtGlobalGraphWithItsScopes() {
        assertThat(VALID.baseUrl()).isEqualTo(URI.create("https://graph.microsoft.com/v1.0"));
        assertThat(VALID.scope("User.Read")).isEqualTo("https://graph.microsoft.com/User.Read");
        assertThat(VALID.profileCacheTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(VALID.profileCacheEnabled()).isTrue();
    }

    @Test
    void givenBaseUrlWithTrailingSlash_config_dropsItSoPathsJoinCleanly() {
        GraphConfig config = GraphConfig.of(URI.create("https://localhost:9443/graph/v1.0/"), "https://graph.microsoft.com/");

        assertThat(config.resolve("/me", "$select=id")).isEqualTo(URI.create("https://localhost:9443/graph/v1.0/me?$select=id"));
    }

    @Test
    void givenEmptyScopePrefix_scope_isTheBarePermission() {
        assertThat(GraphConfig.of(GraphConfig.MICROSOFT_GRAPH, "").scope("Mail.Send")).isEqualTo("Mail.Send");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://graph.microsoft.com/v1.0       | 'baseUrl' must use https",
            "http://10.0.0.1/v1.0                  | 'baseUrl' must use https",
            "ftp://graph.microsoft.com/v1.0        | 'baseUrl' must use https",
            "graph.microsoft.com/v1.0              | 'baseUrl' must be an absolute http(s) URL",
            "https://graph.microsoft.com/v1.0?x=1  | 'baseUrl' must not carry user info, a query or a fragment",
            "https://user:pw@graph.microsoft.com/  | 'baseUrl' must not carry user info, a query or a fragment",
            "https://graph.microsoft.com/v1.0#frag | 'baseUrl' must not carry user info, a query or a fragment",
    })
    void givenUnsafeBaseUrl_config_isRefusedNamingTheField(String url, String message) {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> GraphConfig.of(URI.create(url), GraphConfig.MICROSOFT_GRAPH_SCOPE_PREFIX))
                .withMessageStartingWith(message);
    }

    @ParameterizedTest
    @CsvSource({"http://127.0.0.1:8080/v1.0", "http://localhost:8080/v1.0", "http://[::1]:8080/v1.0"})
    void givenPlainHttpOnLoopback_config_isAccepted(String url) {
        assertThat(GraphConfig.of(URI.create(url), "").baseUrl()).isEqualTo(URI.create(url));
    }

    @Test
    void givenMissingBaseUrl_config_namesTheField() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> GraphConfig.of(null, ""))
                .withMessage("'baseUrl' must not be null");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://graph.microsoft.com | 'scopePrefix' must end with '/'",
            "https://graph microsoft/    | 'scopePrefix' must not contain spaces or control characters",
    })
    void givenBadScopePrefix_config_isRefusedNamingTheField(String prefix, String message) {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> GraphConfig.of(GraphConfig.MICROSOFT_GRAPH, prefix))
                .withMessageStartingWith(message);
    }

    @Test
    void givenZeroOrHugeRequestTimeout_config_isRefusedNamingTheField() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> VALID.withRequestTimeout(Duration.ZERO))
                .withMessage("'requestTimeout' must be positive and at most 2 minutes");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> VALID.withRequestTimeout(Duration.ofMinutes(3)))
                .withMessageStartingWith("'requestTimeout'");
    }

    @Test
    void givenBadCacheSettings_config_isRefusedNamingTheField() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> VALID.withProfileCache(Duration.ofSeconds(-1), 10))
                .withMessage("'profileCacheTtl' must be between zero and 1 hour");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> VALID.withProfileCache(Duration.ofSeconds(60), -1))
                .withMessageStartingWith("'profileCacheMaxEntries' must be between 0 and");
        assertThat(VALID.withProfileCache(Duration.ofSeconds(60), 0).profileCacheEnabled()).isFalse();
    }

    @Test
    void givenBadRetryPolicies_policy_isRefusedNamingTheField() {
        Duration second = Duration.ofSeconds(1);
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new GraphRetryPolicy(0, second, second, second))
                .withMessage("'maxAttempts' must be between 1 and 10");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new GraphRetryPolicy(3, Duration.ZERO, second, second))
                .withMessage("'initialBackoff' must be positive");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new GraphRetryPolicy(3, second, Duration.ofMillis(500), second))
                .withMessage("'maxBackoff' must not be shorter than 'initialBackoff'");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new GraphRetryPolicy(3, second, second, Duration.ofMinutes(6)))
                .withMessageStartingWith("'maxTotalWait' must be at most 5 minutes");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> VALID.withRetry(null))
                .withMessage("'retry' must not be null");
    }

    @Test
    void givenPolicy_backoffCeiling_doublesFromTheInitialDelayUpToTheCap() {
        GraphRetryPolicy policy = new GraphRetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(30));

        assertThat(java.util.stream.IntStream.rangeClosed(1, 6).mapToObj(policy::backoffCeiling).toList())
                .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                        Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(3));
    }

    @Test
    void givenClientThatFollowsRedirects_adapter_isRefusedBecauseTheTokenCouldFollowThem() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new GraphAdapter(VALID, following, (caller, scopes) -> {
                    throw new AssertionError("never asked");
                }))
                .withMessageStartingWith("'http' must not follow redirects");
    }

    @Test
    void givenMissingCollaborators_adapter_namesWhichOne() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new GraphAdapter(VALID, GraphHttpClients.standard(), null))
                .withMessage("'tokens' must not be null");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new GraphAdapter(VALID, GraphHttpClients.standard(), (c, s) -> null).loadUserProfile(null))
                .withMessage("'caller' must not be null");
    }
}
