package dev.entramcp.domain.model;

/**
 * The result of a completed upstream sign-in, or of a refresh of one: who the user is (from the
 * ID token the upstream just sent, with the app roles it assigns them now) and the tokens the
 * server holds for them.
 *
 * @param user   the user; its scopes are those the upstream granted, its client id the server's own
 * @param tokens the upstream tokens, which never leave the server
 */
public record UpstreamSignIn(CallerIdentity user, UpstreamTokens tokens) {

    public UpstreamSignIn {
        Require.notNull(user, "user");
        Require.notNull(tokens, "tokens");
        if (!user.isUser()) {
            throw new IllegalArgumentException("'user' must be a signed-in user, not an application");
        }
        if (user.assertion().isPresent()) {
            throw new IllegalArgumentException("'user' must not carry an assertion: upstream tokens stay in 'tokens'");
        }
    }
}
