package dev.entramcp.adapter.http.transport;

import dev.entramcp.adapter.http.support.RawMcp;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NoStackTraceErrorHandlerTest {

    @Test
    void givenAnUnexpectedException_handle_answers500WithOnlyACorrelationId() {
        NoStackTraceErrorHandler handler = new NoStackTraceErrorHandler(new JsonRpcCodec());

        HttpResponse<?> response = handler.handle(HttpRequest.GET("/anything"),
                new IllegalStateException("jdbc:postgresql://db.internal/prod?password=hunter2"));

        assertThat(response.code()).isEqualTo(500);
        String body = (String) response.body();
        assertThat(body).matches("\\{\"jsonrpc\":\"2.0\",\"error\":\\{\"code\":-32603,"
                + "\"message\":\"Internal error \\(correlation id [0-9a-f-]{36}\\)\"}}");
        RawMcp.assertNoStackTrace(body);
    }
}
