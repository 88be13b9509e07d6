package dev.entramcp.domain.port.out;

import dev.entramcp.domain.model.SignInPrompt;

/**
 * Brings a sign-in prompt to the person at the keyboard, through whatever channels the transport
 * has (stderr, an MCP logging notification, a URL-mode elicitation), and never through a channel
 * that carries the protocol itself (stdout, for stdio). Implemented by a driving adapter, used by
 * the token adapter while it waits for the person to sign in.
 */
@FunctionalInterface
public interface PromptUserSignInPort {

    void prompt(SignInPrompt prompt);
}
