/**
 * The Microsoft Entra ID adapter: everything that talks to Entra through msal4j, and nothing else
 * does. msal4j types stay inside; the apps wire it with plain configuration records.
 *
 * <ul>
 *   <li>Local scenario: {@link dev.entramcp.adapter.entra.EntraPublicClient}, a public client
 *       (silent → system browser with loopback redirect → device code), prompting the person
 *       through the domain's {@code PromptUserSignInPort}, with a protected persisted cache
 *       ({@link dev.entramcp.adapter.entra.cache.ProtectedTokenCache}).</li>
 *   <li>Remote scenario: {@link dev.entramcp.adapter.entra.EntraOnBehalfOfClient}, the server's
 *       confidential client trading the caller's token On-Behalf-Of, credentials chosen by
 *       {@link dev.entramcp.adapter.entra.ClientCredentialConfig}.</li>
 *   <li>Authorization-server facade: {@link dev.entramcp.adapter.entra.EntraAuthorizationCodeClient},
 *       the domain's {@code UpstreamAuthorizationPort} (authorization code + PKCE + refresh, with
 *       the refresh token read from msal4j's serialized cache). Keeping and refreshing the tokens is
 *       the domain's {@code UpstreamTokenBroker}, over the facade's encrypted store.</li>
 * </ul>
 *
 * <p>Every failure leaves as a domain {@code ToolFailure} (see {@code MsalFailures}): sign in,
 * ask for consent (with the admin-consent URL), wait, or try later; never a token or a stack trace.
 */
package dev.entramcp.adapter.entra;
