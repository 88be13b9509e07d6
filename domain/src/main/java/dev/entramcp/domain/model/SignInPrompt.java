package dev.entramcp.domain.model;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * What a person must do to sign in: open {@code verificationUri} (and, for a device code, enter
 * {@code userCode}) before {@code expiresAt}. It holds no secret: a device code's user code is
 * meant to be shown, while the device code itself never leaves the token adapter.
 *
 * @param verificationUri where to sign in
 * @param userCode        the code to enter there, for the device-code flow
 * @param message         one sentence that says both, ready to show
 * @param expiresAt       when the offer ends
 */
public record SignInPrompt(URI verificationUri, Optional<String> userCode, String message, Instant expiresAt) {

    public SignInPrompt {
        Require.notNull(verificationUri, "verificationUri");
        Require.notNull(userCode, "userCode");
        Require.maxLength(Require.notBlank(message, "message"), 1024, "message");
        Require.notNull(expiresAt, "expiresAt");
    }
}
