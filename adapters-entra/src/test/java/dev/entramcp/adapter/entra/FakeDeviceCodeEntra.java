package dev.entramcp.adapter.entra;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny Entra stand-in for the device code flow, which mock-oauth2-server lacks: HTTPS on
 * loopback, Entra's endpoints ({@code /{tenant}/oauth2/v2.0/devicecode} and {@code .../token}),
 * {@code authorization_pending} until the test approves the user code, then Entra-shaped tokens
 * (an RS256 ID token with {@code oid}, {@code tid}, {@code name}, {@code preferred_username},
 * {@code roles}; {@code client_info}), and the refresh-token grant for silent renewal.
 */
final class FakeDeviceCodeEntra implements AutoCloseable {

    static final String TENANT = EntraMock.TENANT;
    static final String ALICE = EntraMock.ALICE;

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final RSAKey signingKey;
    private final Map<String, String> deviceCodeByUserCode = new ConcurrentHashMap<>();
    private final Set<String> approved = ConcurrentHashMap.newKeySet();
    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger deviceCodeRequests = new AtomicInteger();
    private final Map<String, AtomicInteger> tokenRequests = new ConcurrentHashMap<>();
    private volatile long accessTokenSeconds = 3600;
    private volatile String displayName = "Alice";
    private final java.util.concurrent.LinkedBlockingQueue<String> polls = new java.util.concurrent.LinkedBlockingQueue<>();

    FakeDeviceCodeEntra() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("fake-key").generate();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(LoopbackTls.get().serverContext()) {
            @Override
            public void configure(com.sun.net.httpserver.HttpsParameters parameters) {
                javax.net.ssl.SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setProtocols(new String[] {"TLSv1.2"}); // the JDK's HttpsServer is most reliable on 1.2
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/" + TENANT + "/oauth2/v2.0/devicecode", this::deviceCode);
        server.createContext("/" + TENANT + "/oauth2/v2.0/token", this::token);
        server.setExecutor(executor);
        server.start();
    }

    EntraAuthority authority() {
        return EntraAuthority.local(URI.create("https://localhost:" + server.getAddress().getPort()), TENANT);
    }

    void accessTokensLast(long seconds) {
        accessTokenSeconds = seconds;
    }

    /** The name the ID tokens issued from now on carry (as after a rename in the directory). */
    void nameTheUser(String name) {
        displayName = name;
    }

    /** The person entered this code and signed in. */
    void approve(String userCode) {
        String deviceCode = deviceCodeByUserCode.get(userCode);
        if (deviceCode == null) {
            throw new IllegalArgumentException("unknown user code " + userCode);
        }
        approved.add(deviceCode);
    }

    /** Revokes every refresh token issued so far. */
    void revokeRefreshTokens() {
        refreshTokens.clear();
    }

    /** Forgets the token requests seen so far, then waits up to the timeout for the next one. */
    boolean nextTokenRequestWithin(java.time.Duration timeout) throws InterruptedException {
        polls.clear();
        return polls.poll(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) != null;
    }

    int deviceCodeRequests() {
        return deviceCodeRequests.get();
    }

    int tokenRequests(String grantType) {
        return tokenRequests.getOrDefault(grantType, new AtomicInteger()).get();
    }

    private void deviceCode(HttpExchange exchange) throws IOException {
        deviceCodeRequests.incrementAndGet();
        String userCode = "CODE-" + deviceCodeRequests.get();
        String deviceCode = "device-" + UUID.randomUUID();
        deviceCodeByUserCode.put(userCode, deviceCode);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_code", userCode);
        body.put("device_code", deviceCode);
        body.put("verification_uri", "https://localhost:" + server.getAddress().getPort() + "/devicelogin");
        body.put("expires_in", 900);
        body.put("interval", 1);
        body.put("message", "To sign in, use a web browser and enter the code " + userCode);
        send(exchange, 200, body);
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String grant = form.getOrDefault("grant_type", "");
        tokenRequests.computeIfAbsent(grant, g -> new AtomicInteger()).incrementAndGet();
        polls.add(grant);
        try {
            if (grant.equals("device_code") || grant.equals("urn:ietf:params:oauth:grant-type:device_code")) {
                String deviceCode = form.getOrDefault("device_code", "");
                if (!deviceCodeByUserCode.containsValue(deviceCode)) {
                    send(exchange, 400, error("invalid_grant", "AADSTS70000: unknown device code"));
                } else if (!approved.remove(deviceCode)) {
                    send(exchange, 400, error("authorization_pending", "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending."));
                } else {
                    send(exchange, 200, tokens(form.get("client_id")));
                }
            } else if (grant.equals("refresh_token")) {
                if (refreshTokens.contains(form.getOrDefault("refresh_token", ""))) {
                    send(exchange, 200, tokens(form.get("client_id")));
                } else {
                    send(exchange, 400, error("invalid_grant", "AADSTS700082: The refresh token has expired or been revoked."));
                }
            } else {
                send(exchange, 400, error("unsupported_grant_type", "AADSTS70003: unsupported grant"));
            }
        } catch (Exception e) {
            send(exchange, 500, error("server_error", "fake failed"));
        }
    }

    private Map<String, Object> tokens(String clientId) throws Exception {
        Instant now = Instant.now();
        String issuer = "https://localhost:" + server.getAddress().getPort() + "/" + TENANT + "/v2.0";
        JWTClaimsSet idClaims = new JWTClaimsSet.Builder()
                .issuer(issuer).subject("alice-sub").audience(clientId)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("oid", ALICE).claim("tid", TENANT).claim("name", displayName)
                .claim("preferred_username", "alice@contoso.example").claim("roles", List.of("Mail.Sender"))
                .claim("ver", "2.0")
                .build();
        JWTClaimsSet accessClaims = new JWTClaimsSet.Builder()
                .issuer(issuer).subject("alice-sub").audience("https://graph.microsoft.com")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(accessTokenSeconds)))
                .jwtID(UUID.randomUUID().toString())
                .claim("oid", ALICE).claim("tid", TENANT).claim("scp", "User.Read Mail.Send")
                .build();
        String refreshToken = "rt-" + UUID.randomUUID();
        refreshTokens.add(refreshToken);
        Map<String, Object> clientInfo = Map.of("uid", ALICE, "utid", TENANT);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("scope", "User.Read Mail.Send openid profile");
        body.put("expires_in", accessTokenSeconds);
        body.put("ext_expires_in", accessTokenSeconds);
        body.put("access_token", sign(accessClaims));
        body.put("refresh_token", refreshToken);
        body.put("id_token", sign(idClaims));
        body.put("client_info", Base64.getUrlEncoder().withoutPadding()
                .encodeToString(JSONObjectUtils.toJSONString(clientInfo).getBytes(StandardCharsets.UTF_8)));
        return body;
    }

    private String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }

    private static Map<String, Object> error(String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        body.put("error_codes", List.of(70016));
        body.put("correlation_id", UUID.randomUUID().toString());
        return body;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void send(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = JSONObjectUtils.toJSONString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
