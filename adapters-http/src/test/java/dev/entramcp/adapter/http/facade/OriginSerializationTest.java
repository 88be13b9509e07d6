package dev.entramcp.adapter.http.facade;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** The consent POST compares {@code Origin} with this server's origin, which must be serialized as a browser does. */
class OriginSerializationTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "https://mcp.example.com/mcp, https://mcp.example.com",
            "HTTPS://MCP.Example.com:443/mcp, https://mcp.example.com",
            "http://localhost:80/, http://localhost",
            "http://localhost:8080/authorize, http://localhost:8080",
            "https://mcp.example.com:8443, https://mcp.example.com:8443",
            "http://[::1]:9090/x, http://[::1]:9090"})
    void givenAUri_origin_isItsSerializationAsBrowsersSendIt(String uri, String expected) {
        assertThat(AuthorizationFlow.origin(URI.create(uri))).isEqualTo(expected);
    }
}
