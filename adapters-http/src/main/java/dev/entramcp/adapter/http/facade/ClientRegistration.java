package dev.entramcp.adapter.http.facade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Dynamic Client Registration (RFC 7591): an MCP client registers itself and gets a client id
 * (and, unless it is a public client, a secret, shown once and kept only as a keyed hash).
 *
 * <p>Registration is open, as MCP expects (a client cannot be pre-registered with a server it has
 * never seen); that is why the consent page says the client's name is unverified, why its
 * redirect URIs are checked strictly, and why registrations are limited per minute server-wide.
 * {@code token_endpoint_auth_method} defaults to {@code client_secret_basic}, as the RFC says; an
 * MCP client running on the user's device should ask for {@code none} (it cannot keep a secret).
 */
final class ClientRegistration {

    static final int MAX_BODY_BYTES = 16 * 1024;

    private final Clients clients;
    private final Clock clock;
    private final int perMinute;
    private final ObjectMapper json = new ObjectMapper();
    private long windowStartMillis;
    private int inWindow;

    ClientRegistration(Clients clients, Clock clock, int perMinute) {
        this.clients = Objects.requireNonNull(clients, "'clients' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.perMinute = perMinute;
    }

    /**
     * Registers the client described by {@code body} (JSON).
     *
     * @return the registration response (RFC 7591 section 3.2.1), as JSON
     * @throws OAuthError {@code invalid_client_metadata}, {@code invalid_redirect_uri}, or 429 when over the limit
     */
    String register(String body) {
        if (body == null || body.isBlank()) {
            throw new OAuthError(400, OAuthError.INVALID_CLIENT_METADATA, "the request body must be the client metadata as JSON");
        }
        if (body.length() > MAX_BODY_BYTES) {
            throw new OAuthError(400, OAuthError.INVALID_CLIENT_METADATA, "the client metadata is larger than " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode metadata;
        try {
            metadata = json.readTree(body);
        } catch (IOException e) {
            throw new OAuthError(400, OAuthError.INVALID_CLIENT_METADATA, "the client metadata is not valid JSON");
        }
        ClientMetadata parsed = ClientMetadata.parse(metadata, RegisteredClient.AuthMethod.CLIENT_SECRET_BASIC);
        Optional<Duration> wait = admit();
        if (wait.isPresent()) {
            throw new OAuthError(429, OAuthError.TEMPORARILY_UNAVAILABLE, "too many registrations; try again in a minute",
                    wait);
        }
        Instant now = clock.instant();
        Optional<String> secret = parsed.authMethod() == RegisteredClient.AuthMethod.NONE
                ? Optional.empty() : Optional.of(RandomValues.token(32));
        RegisteredClient client = new RegisteredClient(RandomValues.token(16), parsed.clientName(), parsed.redirectUris(),
                parsed.applicationType(), parsed.authMethod(), secret.map(clients::hashSecret), parsed.grantTypes(), now,
                RegisteredClient.Origin.REGISTERED);
        clients.save(client);

        ObjectNode response = json.createObjectNode();
        response.put("client_id", client.clientId());
        secret.ifPresent(value -> response.put("client_secret", value).put("client_secret_expires_at", 0));
        response.put("client_id_issued_at", now.getEpochSecond());
        client.clientName().ifPresent(name -> response.put("client_name", name));
        client.redirectUris().forEach(response.putArray("redirect_uris")::add);
        client.grantTypes().stream().sorted().forEach(response.putArray("grant_types")::add);
        response.putArray("response_types").add("code");
        response.put("token_endpoint_auth_method", client.authMethod().value());
        response.put("application_type", client.applicationType().value());
        return response.toString();
    }

    /** Admits one registration in this minute's window; otherwise how long until the window ends. */
    private synchronized Optional<Duration> admit() {
        long now = clock.millis();
        if (now - windowStartMillis >= 60_000) {
            windowStartMillis = now;
            inWindow = 0;
        }
        if (inWindow >= perMinute) {
            return Optional.of(Duration.ofMillis(windowStartMillis + 60_000 - now));
        }
        inWindow++;
        return Optional.empty();
    }
}
