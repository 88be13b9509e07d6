package dev.entramcp.adapter.entra;

/**
 * The server's own client assertion (a federated token file, a managed identity's token) could not
 * be produced. msal4j wraps what its assertion callback throws in an {@code MsalClientException},
 * like a network failure; this type lets {@link MsalFailures} tell the two apart and report it as
 * the operator's problem ("the server's credential"), not as Entra being unreachable. The message
 * names the setting or identity and never carries a token.
 */
final class ClientAssertionUnavailableException extends RuntimeException {

    ClientAssertionUnavailableException(String message) {
        super(message, null, false, false);
    }
}
