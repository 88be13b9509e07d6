package dev.entramcp.adapter.http.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The small JSON body of a refusal, mirroring the challenge: {@code {"error": "...",
 * "error_description": "..."}}. It never carries a stack trace, the token, or a claim value.
 */
@Serdeable
public record AuthErrorBody(@JsonProperty("error") String error,
                            @JsonProperty("error_description") String errorDescription) {
}
