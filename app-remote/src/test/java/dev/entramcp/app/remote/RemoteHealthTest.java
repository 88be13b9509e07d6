package dev.entramcp.app.remote;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /health} is anonymous, for load balancers, and reveals nothing: no version, no
 * configuration, no dependency. Nothing else answers without a token, management-style paths
 * included.
 */
@ExtendWith(SharedRemoteDemo.class)
class RemoteHealthTest {

    private final RemoteDemoApp app;

    RemoteHealthTest(RemoteDemoApp app) {
        this.app = app;
    }

    @Test
    void givenNoToken_health_saysUpAndNothingElse() {
        HttpResponse<String> health = app.get("/health", null);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(new TreeSet<>(health.headers().map().keySet())).containsExactly("content-length", "content-type", "date");
    }

    @Test
    void givenABadToken_health_stillSaysOnlyUp() {
        HttpResponse<String> health = app.get("/health", "not-a-token");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void givenManagementStylePathsWithoutAToken_theServer_answersOnlyTheChallenge() {
        List<String> paths = List.of("/env", "/beans", "/info", "/metrics", "/health/liveness", "/no-such-page");

        for (String path : paths) {
            HttpResponse<String> answer = app.get(path, null);

            assertThat(answer.statusCode()).as(path).isEqualTo(401);
            assertThat(answer.headers().allValues("WWW-Authenticate")).as(path).containsExactly("Bearer " + app.challengeTail());
            assertThat(RemoteDemoApp.json(answer.body())).as(path).containsOnlyKeys("error", "error_description");
        }
    }

    @Test
    void givenAValidTokenOnAPathThatIsNoEndpoint_theServer_refusesWithoutSayingMore() {
        HttpResponse<String> answer = app.get("/no-such-page", app.fullToken("alice"));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(RemoteDemoApp.json(answer.body()))
                .containsEntry("error_description", "the caller is not allowed to use this endpoint");
    }
}
