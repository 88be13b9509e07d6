package dev.entramcp.adapter.entra;

/**
 * How Entra returns the authorization code to the server's callback. {@code form_post} keeps the
 * code out of the URL (browser history, logs, {@code Referer}); {@code query} suits a callback that
 * only takes GET.
 */
public enum CallbackResponseMode {
    FORM_POST,
    QUERY
}
