package dev.entramcp.adapter.http.facade;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.entramcp.adapter.http.facade.cimd.MetadataDocumentFetcher;
import dev.entramcp.adapter.http.facade.store.SealedRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * Finds the client a {@code client_id} names: a client registered at {@code /register} (kept in
 * the store, its secret only as a keyed hash), or, when the id is an https URL, the client its
 * Client ID Metadata Document describes (fetched with SSRF guards, checked like a registration,
 * cached for a while).
 *
 * <p>Anyone can make the server fetch a URL this way, so fetching is bounded too: at most
 * {@code maxConcurrentFetches} at once server-wide (a lookup beyond that is refused at once, not
 * queued), and a refused document is remembered for {@code failureCacheTtl}, so that naming it
 * again costs no second fetch. The reasons of a refusal are for the log; whoever asked learns only
 * that the client is unknown ({@link Lookup.NotFound#reason} is not shown to the browser).
 */
public final class Clients {

    static final String NAMESPACE = "clients";
    /** The purpose label of the keyed hash of client secrets. */
    static final String SECRET_PURPOSE = "client-secret";
    /** Longer than any URL-form client id {@code CallerIdentity} accepts as {@code azp}. */
    static final int MAX_DOCUMENT_CLIENT_ID_LENGTH = 255;

    private static final Logger LOG = LoggerFactory.getLogger(Clients.class);
    /** The shape of the ids {@code /register} hands out; anything else cannot be one. */
    private static final Pattern REGISTERED_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final SealedRecords records;
    private final Optional<MetadataDocumentFetcher> documents;
    private final Cache<String, RegisteredClient> fetched;
    private final Cache<String, String> refused;
    private final Semaphore fetching;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param documents            the metadata document fetcher, or empty when such client ids are not accepted
     * @param cacheTtl             how long a fetched document is used
     * @param failureCacheTtl      how long a refused document is refused without a new fetch
     * @param maxConcurrentFetches how many documents may be fetched at once
     */
    public Clients(SealedRecords records, Optional<MetadataDocumentFetcher> documents, Duration cacheTtl,
                   Duration failureCacheTtl, int maxConcurrentFetches, Clock clock) {
        this.records = Objects.requireNonNull(records, "'records' must not be null");
        this.documents = Objects.requireNonNull(documents, "'documents' must not be null");
        this.fetched = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(1000).build();
        this.refused = Caffeine.newBuilder().expireAfterWrite(failureCacheTtl).maximumSize(10_000).build();
        this.fetching = new Semaphore(maxConcurrentFetches);
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    }

    /** What looking up a client id found. */
    sealed interface Lookup {
        /** The client. */
        record Found(RegisteredClient client) implements Lookup {
        }

        /** No such client, or its metadata document was refused; {@code reason} says which, for the log only. */
        record NotFound(String reason) implements Lookup {
        }
    }

    /** The stored registration; the secret exists only as its keyed hash. */
    record Stored(@JsonProperty("client_id") String clientId,
                  @JsonProperty("client_name") String clientName,
                  @JsonProperty("redirect_uris") List<String> redirectUris,
                  @JsonProperty("application_type") String applicationType,
                  @JsonProperty("token_endpoint_auth_method") String authMethod,
                  @JsonProperty("secret_hash") String secretHash,
                  @JsonProperty("grant_types") List<String> grantTypes,
                  @JsonProperty("issued_at") long issuedAt) {

        RegisteredClient toClient() {
            return new RegisteredClient(clientId, Optional.ofNullable(clientName), redirectUris,
                    RegisteredClient.ApplicationType.parse(applicationType).orElseThrow(),
                    RegisteredClient.AuthMethod.parse(authMethod).orElseThrow(), Optional.ofNullable(secretHash),
                    Set.copyOf(grantTypes), Instant.ofEpochMilli(issuedAt), RegisteredClient.Origin.REGISTERED);
        }

        @Override
        public String toString() {
            return "Stored[client_id=" + clientId + ", ***]";
        }
    }

    /** Keeps a newly registered client. */
    void save(RegisteredClient client) {
        records.write(NAMESPACE, client.clientId(), new Stored(client.clientId(), client.clientName().orElse(null),
                client.redirectUris(), client.applicationType().value(), client.authMethod().value(),
                client.secretHash().orElse(null), List.copyOf(client.grantTypes()), client.issuedAt().toEpochMilli()),
                Optional.empty());
    }

    /** Looks the client up (fetching its metadata document if its id is an https URL). */
    Lookup find(String clientId) {
        if (clientId == null || clientId.isEmpty() || clientId.length() > 2048) {
            return new Lookup.NotFound("client_id is missing or too long");
        }
        if (clientId.startsWith("https://")) {
            return fromDocument(clientId);
        }
        if (!REGISTERED_ID.matcher(clientId).matches()) {
            return new Lookup.NotFound("the client is not registered");
        }
        return records.read(NAMESPACE, clientId, Stored.class)
                .<Lookup>map(stored -> new Lookup.Found(stored.toClient()))
                .orElseGet(() -> new Lookup.NotFound("the client is not registered"));
    }

    /** Whether {@code secret} is the client's (checked in constant time against the keyed hash). */
    boolean secretMatches(RegisteredClient client, String secret) {
        return client.secretHash().map(hash -> records.keys().matchesMac(SECRET_PURPOSE, secret, hash)).orElse(false);
    }

    /** The keyed hash to store for a new secret. */
    String hashSecret(String secret) {
        return records.keys().mac(SECRET_PURPOSE, secret);
    }

    private Lookup fromDocument(String clientId) {
        if (documents.isEmpty()) {
            return new Lookup.NotFound("client ID metadata documents are not accepted by this server");
        }
        Optional<String> problem = documentUrlProblem(clientId);
        if (problem.isPresent()) {
            return new Lookup.NotFound(problem.get());
        }
        RegisteredClient cached = fetched.getIfPresent(clientId);
        if (cached != null) {
            return new Lookup.Found(cached);
        }
        String refusedRecently = refused.getIfPresent(clientId);
        if (refusedRecently != null) {
            return new Lookup.NotFound(refusedRecently + " (remembered; not fetched again yet)");
        }
        if (!fetching.tryAcquire()) {
            LOG.warn("A client metadata document was not fetched: the limit of concurrent fetches is reached");
            return new Lookup.NotFound("too many client metadata documents are being fetched at once");
        }
        Lookup lookup;
        try {
            lookup = fetchDocument(clientId);
        } catch (RuntimeException unexpected) {
            // A document server's answer must never become a 500, nor escape the failure cache and be fetched again at once.
            LOG.warn("Fetching a client metadata document failed unexpectedly ({})", unexpected.getClass().getSimpleName());
            lookup = new Lookup.NotFound("the client metadata document could not be read");
        } finally {
            fetching.release();
        }
        if (lookup instanceof Lookup.NotFound notFound) {
            LOG.info("Client metadata document refused: {}", notFound.reason());
            refused.put(clientId, notFound.reason());
        }
        return lookup;
    }

    private Lookup fetchDocument(String clientId) {
        MetadataDocumentFetcher.Result result = documents.get().fetch(URI.create(clientId));
        if (result instanceof MetadataDocumentFetcher.Result.Refused refusal) {
            return new Lookup.NotFound(refusal.reason());
        }
        byte[] body = ((MetadataDocumentFetcher.Result.Fetched) result).body();
        RegisteredClient client;
        try {
            client = fromDocument(clientId, json.readTree(body));
        } catch (IOException e) {
            return new Lookup.NotFound("the client metadata document is not valid JSON");
        } catch (OAuthError invalid) {
            return new Lookup.NotFound("the client metadata document is not acceptable: " + invalid.description());
        }
        fetched.put(clientId, client);
        return new Lookup.Found(client);
    }

    private RegisteredClient fromDocument(String clientId, JsonNode document) {
        if (document == null || !document.isObject()) {
            throw new OAuthError(400, OAuthError.INVALID_CLIENT_METADATA, "it must be a JSON object");
        }
        JsonNode declared = document.get("client_id");
        if (declared == null || !declared.isTextual() || !declared.asText().equals(clientId)) {
            throw new OAuthError(400, OAuthError.INVALID_CLIENT_METADATA, "its client_id must be exactly its own URL");
        }
        if (document.has("client_secret") || document.has("client_secret_expires_at")) {
            throw new OAuthError(400, OAuthError.INVALID_CLIENT_METADATA, "a metadata document must not carry a client secret");
        }
        ClientMetadata metadata = ClientMetadata.parse(document, RegisteredClient.AuthMethod.NONE);
        if (metadata.authMethod() != RegisteredClient.AuthMethod.NONE) {
            throw new OAuthError(400, OAuthError.INVALID_CLIENT_METADATA,
                    "token_endpoint_auth_method must be none: a client known by its metadata document has no shared secret");
        }
        return new RegisteredClient(clientId, metadata.clientName(), metadata.redirectUris(), metadata.applicationType(),
                RegisteredClient.AuthMethod.NONE, Optional.empty(), metadata.grantTypes(), clock.instant(),
                RegisteredClient.Origin.METADATA_DOCUMENT);
    }

    /** The Client ID Metadata Document draft's rules for the URL itself. */
    static Optional<String> documentUrlProblem(String clientId) {
        if (clientId.length() > MAX_DOCUMENT_CLIENT_ID_LENGTH) {
            return Optional.of("a client_id URL may be at most " + MAX_DOCUMENT_CLIENT_ID_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(clientId);
        } catch (URISyntaxException e) {
            return Optional.of("the client_id is not a valid URL");
        }
        String path = uri.getRawPath();
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null || uri.getRawQuery() != null) {
            return Optional.of("a client_id URL must be https with a host, without user info, query or fragment");
        }
        if (path == null || path.isEmpty() || path.equals("/")) {
            return Optional.of("a client_id URL must have a path");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("a client_id URL must not contain dot segments");
            }
        }
        return Optional.empty();
    }
}
