/**
 * The authorization-server facade ({@code entramcp.facade.enabled=true}, {@code --facade}): for MCP
 * clients that cannot register with Entra (it offers neither Dynamic Client Registration nor Client
 * ID Metadata Documents), this server is their OAuth 2.1 authorization server, and itself a
 * confidential client of Entra behind them. See {@code docs/authorization-server-facade.md} for the
 * whole flow and {@code docs/adr/0003-facade-token-design.md} for the token design.
 *
 * <h2>Endpoints (none under an MCP path, all anonymous at the HTTP layer)</h2>
 * <ul>
 *   <li>{@code GET /.well-known/oauth-authorization-server} and {@code /.well-known/openid-configuration}:
 *       {@link dev.entramcp.adapter.http.facade.AuthorizationServerMetadata};</li>
 *   <li>{@code GET /jwks}: the facade's public signing keys ({@link dev.entramcp.adapter.http.facade.SigningKeyring});</li>
 *   <li>{@code POST /register}: RFC 7591 ({@link dev.entramcp.adapter.http.facade.ClientRegistration});</li>
 *   <li>{@code GET /authorize}, {@code POST /authorize/consent}, {@code POST /auth/callback}: the
 *       browser's way ({@link dev.entramcp.adapter.http.facade.AuthorizationFlow}), the upstream
 *       sign-in bound to the browser that consented by a {@code __Host-} cookie;</li>
 *   <li>{@code POST /token}, {@code POST /revoke}: {@link dev.entramcp.adapter.http.facade.TokenEndpoint}.</li>
 * </ul>
 * None takes a token, so each is limited per client address, and the records anonymous requests
 * create are bounded ({@link dev.entramcp.adapter.http.facade.RequestLimits}).
 *
 * <h2>How it plugs into the resource server</h2>
 * It adds no validator and no token reader (the auth package refuses a second one): it contributes
 * a {@code facade} {@code TrustedIssuers} bean, replaces the {@code entra} one with an empty group
 * and {@code AuthSettings} with one whose PRM names this server
 * ({@link dev.entramcp.adapter.http.facade.FacadeFactory}), and checks after authentication that a
 * token's grant is still alive ({@link dev.entramcp.adapter.http.facade.GrantLivenessFilter}). Its
 * own endpoints answer in OAuth's shapes (RFC 6749 section 5.2 JSON, error pages, redirects with
 * {@code error}), never in JSON-RPC.
 *
 * <h2>What the app provides</h2>
 * The domain's {@code UpstreamAuthorizationPort} (Entra through msal4j) and an
 * {@code UpstreamTokenBroker} over the {@code UpstreamTokenStorePort} built here.
 */
package dev.entramcp.adapter.http.facade;
