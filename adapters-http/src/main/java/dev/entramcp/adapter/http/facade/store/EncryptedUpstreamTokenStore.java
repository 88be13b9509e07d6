package dev.entramcp.adapter.http.facade.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.entramcp.domain.model.AccessToken;
import dev.entramcp.domain.model.PrincipalId;
import dev.entramcp.domain.model.RefreshToken;
import dev.entramcp.domain.model.UpstreamTokens;
import dev.entramcp.domain.port.out.UpstreamTokenStorePort;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The domain's {@link UpstreamTokenStorePort}: the Entra tokens the facade holds for each user,
 * sealed (AES-256-GCM, {@link SealedRecords}) in a {@link RecordStore}, keyed by the user's
 * {@code tid/oid}. A record is kept at most {@code retention} after its last write (the longest a
 * grant can live), so the tokens of a user who never comes back do not stay forever.
 */
public final class EncryptedUpstreamTokenStore implements UpstreamTokenStorePort {

    /** The namespace of upstream token records. */
    public static final String NAMESPACE = "upstream-tokens";

    private final SealedRecords records;
    private final Clock clock;
    private final Duration retention;

    public EncryptedUpstreamTokenStore(SealedRecords records, Clock clock, Duration retention) {
        this.records = Objects.requireNonNull(records, "'records' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.retention = Objects.requireNonNull(retention, "'retention' must not be null");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("'retention' must be positive");
        }
    }

    /** The stored form; the token values exist in the clear only inside the sealed record. */
    record Stored(@JsonProperty("access_token") String accessToken,
                  @JsonProperty("expires_at") long expiresAtMillis,
                  @JsonProperty("refresh_token") String refreshToken,
                  @JsonProperty("scopes") List<String> scopes) {

        static Stored of(UpstreamTokens tokens) {
            return new Stored(tokens.accessToken().value(), tokens.accessToken().expiresAt().toEpochMilli(),
                    tokens.refreshToken().map(RefreshToken::value).orElse(null), List.copyOf(tokens.scopes()));
        }

        UpstreamTokens toTokens() {
            return new UpstreamTokens(AccessToken.of(accessToken, Instant.ofEpochMilli(expiresAtMillis)),
                    Optional.ofNullable(refreshToken).map(RefreshToken::of), new TreeSet<>(scopes == null ? List.of() : scopes));
        }

        @Override
        public String toString() {
            return "Stored[***]";
        }
    }

    @Override
    public Optional<UpstreamTokens> load(PrincipalId principal) {
        return records.read(NAMESPACE, key(principal), Stored.class).map(Stored::toTokens);
    }

    @Override
    public void save(PrincipalId principal, UpstreamTokens tokens) {
        Objects.requireNonNull(tokens, "'tokens' must not be null");
        records.write(NAMESPACE, key(principal), Stored.of(tokens), Optional.of(clock.instant().plus(retention)));
    }

    @Override
    public void delete(PrincipalId principal) {
        records.delete(NAMESPACE, key(principal));
    }

    private static String key(PrincipalId principal) {
        return Objects.requireNonNull(principal, "'principal' must not be null").asKey();
    }
}
