package dev.entramcp.domain.model;

/**
 * A credential value that must never be printed. Implementations mask themselves in
 * {@code toString}, so that a token that reaches a log line, an exception or a debugger's
 * summary shows as {@code AccessToken[***]}.
 */
public sealed interface Secret permits AccessToken, RefreshToken, UserAssertion {

    /** The raw value, for the one adapter call that must send it. Never log it. */
    String value();

    static String masked(Class<?> type) {
        return type.getSimpleName() + "[***]";
    }
}
