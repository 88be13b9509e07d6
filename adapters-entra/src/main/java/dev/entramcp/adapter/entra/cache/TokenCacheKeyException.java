package dev.entramcp.adapter.entra.cache;

/**
 * The token cache's key cannot be had: a malformed {@code ENTRA_MCP_CACHE_KEY}, a key file with
 * loose permissions or that cannot be read, no keyring where one is required. The message says what
 * to fix, names where the key was looked for, and never contains the key. A composition root shows
 * it as a one-line start-up error: it is a configuration problem, not a bug.
 */
public final class TokenCacheKeyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    TokenCacheKeyException(String message) {
        super(message);
    }
}
