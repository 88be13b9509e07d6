package dev.entramcp.adapter.http.auth;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.entramcp.adapter.http.support.McpTestServer;
import dev.entramcp.adapter.http.support.RawMcp;
import dev.entramcp.adapter.http.support.SharedMcpServer;
import dev.entramcp.adapter.http.support.TestTokens;
import dev.entramcp.domain.fixtures.Callers;
import io.micronaut.security.token.reader.TokenReader;
import io.micronaut.security.token.validator.TokenValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.entramcp.adapter.http.support.TestTokens.FOREIGN_KEY;
import static dev.entramcp.adapter.http.support.TestTokens.FOREIGN_KEY_SAME_KID;
import static dev.entramcp.adapter.http.support.TestTokens.FOREIGN_TENANT;
import static dev.entramcp.adapter.http.support.TestTokens.OTHER_ALLOWED_TENANT;
import static dev.entramcp.adapter.http.support.TestTokens.TENANT;
import static dev.entramcp.adapter.http.support.TestTokens.TENANT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authentication of the MCP endpoints over real HTTP, on the shared test server
 * ({@code application-httptest.yml}, trusting a loopback JWKS server whose keys are generated at
 * test start). Every refusal is checked to the exact status, challenge and body.
 */
@ExtendWith(SharedMcpServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BearerAuthenticationHttpTest {

    private static final String METADATA = "https://mcp.example.test/.well-known/oauth-protected-resource/mcp";
    private static final String MISSING_TOKEN_CHALLENGE =
            "Bearer resource_metadata=\"" + METADATA + "\", scope=\"api://entramcp-test/User.Read\"";

    private final McpTestServer server;
    private final RawMcp http;

    BearerAuthenticationHttpTest(McpTestServer server) {
        this.server = server;
        this.http = server.raw();
    }

    private String authority() {
        return server.authority();
    }

    static String invalidTokenChallenge(String description) {
        return "Bearer error=\"invalid_token\", error_description=\"" + description + "\", resource_metadata=\""
                + METADATA + "\", scope=\"api://entramcp-test/User.Read\"";
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"POST,/mcp", "GET,/mcp", "DELETE,/mcp", "GET,/sse", "POST,/message", "GET,/mcp/auth-probe",
            "GET,/mcp/", "GET,//mcp", "GET,/MCP", "GET,/%6Dcp", "GET,/message/anonymous-probe", "GET,/secured/probe"})
    void givenNoToken_aProtectedEndpoint_answers401WithTheChallengeToDiscoverTheServer(String method, String path) {
        HttpResponse<String> response = http.request(method, path);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(MISSING_TOKEN_CHALLENGE);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(RawMcp.json(response)).containsExactly(Map.entry("error", "unauthorized"),
                Map.entry("error_description", "a bearer token is required in the Authorization header"));
    }

    @Test
    void givenBasicCredentials_anMcpEndpoint_treatsThemAsNoBearerToken() {
        HttpResponse<String> response = http.request("POST", "/mcp", "Authorization", "Basic YWxpY2U6c2VjcmV0");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(MISSING_TOKEN_CHALLENGE);
    }

    Stream<Arguments> badTokens() {
        Instant now = Instant.now();
        String valid = TestTokens.aUserToken(authority()).signedWith(TENANT_KEY);
        return Stream.of(
                Arguments.of("malformed", "not.a.jwt", "malformed token"),
                Arguments.of("alg=none", TestTokens.aUserToken(authority()).unsigned(), "unsigned tokens are not accepted"),
                Arguments.of("HS256 signed with the public key", TestTokens.aUserToken(authority()).hs256WithPublicKeyOf(TENANT_KEY),
                        "signing algorithm is not accepted"),
                Arguments.of("unknown kid", TestTokens.aUserToken(authority()).signedWith(FOREIGN_KEY), "signing key is not known"),
                Arguments.of("tampered payload", TestTokens.withPayload(valid,
                        TestTokens.aUserToken(authority()).with("oid", Callers.BOB_OID).claims()), "signature is invalid"),
                Arguments.of("expired", TestTokens.aUserToken(authority()).expiringAt(now.minusSeconds(300)).signedWith(TENANT_KEY),
                        "token has expired"),
                Arguments.of("nbf in the future", TestTokens.aUserToken(authority()).with("nbf", now.plusSeconds(300))
                        .signedWith(TENANT_KEY), "token is not yet valid"),
                Arguments.of("wrong issuer", TestTokens.aUserToken("https://login.microsoftonline.com").signedWith(TENANT_KEY),
                        "issuer is not trusted"),
                Arguments.of("tenant not on the allow-list", TestTokens.aUserToken(authority())
                        .forTenant(authority(), FOREIGN_TENANT).signedWith(TENANT_KEY), "tenant is not allowed"),
                Arguments.of("wrong audience", TestTokens.aUserToken(authority()).with("aud", "12345678-0000-0000-0000-000000000000")
                        .signedWith(TENANT_KEY), "audience is not this server"),
                Arguments.of("Graph audience (passthrough attempt)", TestTokens.aUserToken(authority())
                        .with("aud", TestTokens.GRAPH_APP_ID).signedWith(TENANT_KEY),
                        "audience is Microsoft Graph, not this server: request a token for this server's scopes"),
                Arguments.of("v1 token", TestTokens.aUserToken(authority()).with("iss", "https://sts.windows.net/" + TENANT + "/")
                        .with("ver", "1.0").with("aud", TestTokens.APP_ID_URI).signedWith(TENANT_KEY),
                        "v1.0 tokens are not accepted: set requestedAccessTokenVersion: 2 in the API app manifest"),
                Arguments.of("token from another emulator (foreign key, same kid)", TestTokens.aUserToken(authority())
                        .signedWith(FOREIGN_KEY_SAME_KID), "signature is invalid"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void givenABadToken_mcpPost_answers401InvalidTokenSayingWhyWithoutEchoingIt(String name, String token, String description) {
        HttpResponse<String> response = http.withToken("POST", "/mcp", token);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(invalidTokenChallenge(description));
        assertThat(RawMcp.json(response)).containsExactly(Map.entry("error", "invalid_token"),
                Map.entry("error_description", description));
        assertThat(response.body()).doesNotContain(token).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void givenAnUnsignedToken_anEndpointSecuredByMicronautAnnotationsAlone_refusesIt() {
        String unsigned = TestTokens.aUserToken(authority()).unsigned();

        HttpResponse<String> response = http.withToken("GET", "/secured/probe", unsigned);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate"))
                .containsExactly(invalidTokenChallenge("unsigned tokens are not accepted"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/mcp", "/mcp/auth-probe", "/public/probe", "/.well-known/oauth-protected-resource/mcp"})
    void givenATokenInTheQueryString_anyEndpoint_answers400InvalidRequest(String path) {
        String token = TestTokens.aUserToken(authority()).signedWith(TENANT_KEY);

        HttpResponse<String> response = http.withToken("GET", path + "?access_token=" + token, token);

        assertThat(response.statusCode()).isEqualTo(400);
        String description = "access tokens are accepted only in the Authorization header, never in the URL";
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer error=\"invalid_request\", "
                + "error_description=\"" + description + "\", resource_metadata=\"" + METADATA
                + "\", scope=\"api://entramcp-test/User.Read\"");
        assertThat(RawMcp.json(response)).containsEntry("error", "invalid_request");
        assertThat(response.body()).doesNotContain(token);
    }

    @Test
    void givenTwoAuthorizationHeaders_anMcpEndpoint_answers400() {
        String token = TestTokens.aUserToken(authority()).signedWith(TENANT_KEY);

        HttpResponse<String> response = http.request("POST", "/mcp", "Authorization", "Bearer " + token,
                "Authorization", "Bearer " + token);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(RawMcp.json(response)).containsEntry("error_description", "send exactly one Authorization header");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"GET,/mcp/auth-probe", "POST,/mcp/auth-probe", "DELETE,/mcp/auth-probe", "GET,/sse/auth-probe",
            "POST,/message/auth-probe", "GET,/message/anonymous-probe"})
    void givenAliceValidToken_aProtectedEndpoint_receivesHerAsCallerWithHerTokenAsAssertion(String method, String path) {
        Instant exp = Instant.now().plusSeconds(1800);
        String token = TestTokens.aUserToken(authority()).with("roles", List.of("Mail.Sender")).expiringAt(exp)
                .signedWith(TENANT_KEY);

        HttpResponse<String> response = http.withToken(method, path, token);

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> caller = RawMcp.json(response);
        assertThat(caller).containsEntry("tenantId", TENANT)
                .containsEntry("objectId", Callers.ALICE_OID)
                .containsEntry("kind", "USER")
                .containsEntry("username", "alice@contoso.example")
                .containsEntry("displayName", "Alice")
                .containsEntry("clientAppId", Callers.CLIENT_APP)
                .containsEntry("scopes", List.of("Mail.Send", "User.Read"))
                .containsEntry("roles", List.of("Mail.Sender"))
                .containsEntry("assertionPresent", true)
                .containsEntry("assertionIsTheBearerToken", true)
                .containsEntry("authenticationName", TENANT + "/" + Callers.ALICE_OID)
                .containsEntry("expiresAt", (int) exp.getEpochSecond());
    }

    @Test
    void givenADaemonAppOnlyToken_aProtectedEndpoint_receivesAnApplicationCallerWithoutAssertion() {
        String token = TestTokens.anAppToken(authority()).with("idtyp", "app").signedWith(TENANT_KEY);

        HttpResponse<String> response = http.withToken("POST", "/mcp/auth-probe", token);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(RawMcp.json(response)).containsEntry("kind", "APPLICATION")
                .containsEntry("objectId", TestTokens.DAEMON_OID)
                .containsEntry("scopes", List.of())
                .containsEntry("roles", List.of("Mail.Sender"))
                .containsEntry("assertionPresent", false);
    }

    @Test
    void givenAUserOfTheOtherAllowedTenant_aProtectedEndpoint_acceptsHer() {
        String token = TestTokens.aUserToken(authority()).forTenant(authority(), OTHER_ALLOWED_TENANT).signedWith(TENANT_KEY);

        HttpResponse<String> response = http.withToken("GET", "/mcp/auth-probe", token);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(RawMcp.json(response)).containsEntry("tenantId", OTHER_ALLOWED_TENANT);
    }

    @Test
    void givenATokenForTheAppIdUri_aProtectedEndpoint_acceptsIt() {
        String token = TestTokens.aUserToken(authority()).with("aud", TestTokens.APP_ID_URI).signedWith(TENANT_KEY);

        assertThat(http.withToken("GET", "/mcp/auth-probe", token).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @CsvSource({"/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"})
    void givenNoToken_protectedResourceMetadata_isServedAtBothUrls(String path) {
        HttpResponse<String> response = http.request("GET", path);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(RawMcp.json(response)).containsExactly(
                Map.entry("resource", "https://mcp.example.test/mcp"),
                // two allowed tenants (application-httptest.yml): users sign in at their own tenant
                Map.entry("authorization_servers", List.of(authority() + "/organizations/v2.0")),
                Map.entry("scopes_supported", List.of("api://entramcp-test/User.Read", "api://entramcp-test/Mail.Send")),
                Map.entry("bearer_methods_supported", List.of("header")),
                Map.entry("resource_name", "entra-mcp auth test"));
    }

    @Test
    void givenTheHttptestEnvironment_configuration_isReadFromYaml() throws ClassNotFoundException {
        assertThat(Class.forName("org.yaml.snakeyaml.Yaml")).as("snakeyaml on the test runtime classpath").isNotNull();
        assertThat(server.context().getProperty("entramcp.auth.app-id-uri", String.class)).hasValue("api://entramcp-test");
        assertThat(server.bean(AuthSettings.class).allowedTenants()).containsExactly(TENANT, OTHER_ALLOWED_TENANT);
    }

    @Test
    @SuppressWarnings("rawtypes")
    void givenMicronautSecurityJwtOnTheClasspath_theSecurityChain_hasOurValidatorAndReaderOnly() throws ClassNotFoundException {
        assertThat(Class.forName("io.micronaut.security.token.jwt.nimbus.NimbusReactiveJsonWebTokenValidator")).isNotNull();

        assertThat(server.context().getBeansOfType(TokenValidator.class)).singleElement().isInstanceOf(BearerTokenValidator.class);
        assertThat(server.context().getBeansOfType(TokenReader.class)).singleElement().isInstanceOf(AuthorizationHeaderTokenReader.class);
    }

    @Test
    void givenGoodAndBadTokens_authentication_neverWritesATokenToTheLogs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        List<String> tokens = new ArrayList<>();
        try {
            badTokens().forEach(arguments -> tokens.add((String) arguments.get()[1]));
            tokens.add(TestTokens.aUserToken(authority()).signedWith(TENANT_KEY));
            tokens.add("Basic-not-a-bearer");
            for (String token : tokens) {
                http.withToken("POST", "/mcp/auth-probe", token);
                http.request("GET", "/mcp?access_token=" + token);
            }
        } finally {
            root.detachAppender(appender);
        }

        assertThat(appender.list).as("the test must see authentication's debug logs").isNotEmpty();
        for (ILoggingEvent event : appender.list) {
            String text = event.getFormattedMessage() + throwableText(event.getThrowableProxy());
            for (String token : tokens) {
                String signatureOrWhole = token.contains(".") ? token.substring(token.lastIndexOf('.') + 1) : token;
                assertThat(text).doesNotContain(token);
                if (signatureOrWhole.length() > 20) {
                    assertThat(text).doesNotContain(signatureOrWhole);
                }
            }
        }
    }

    private static String throwableText(IThrowableProxy proxy) {
        return proxy == null ? "" : proxy.getMessage() + throwableText(proxy.getCause());
    }
}
