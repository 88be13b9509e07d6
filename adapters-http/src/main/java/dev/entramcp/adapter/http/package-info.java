/**
 * The remote MCP server's driving adapter: MCP over HTTP on Micronaut, protected as an OAuth 2.1
 * resource server. Three packages, one request path:
 * <ul>
 *   <li>{@code auth}: strict bearer-token validation plugged into micronaut-security, Protected
 *       Resource Metadata (RFC 9728) and the {@code WWW-Authenticate} challenges;</li>
 *   <li>{@code transport}: Streamable HTTP at {@code /mcp} (stateful or stateless) and the legacy
 *       HTTP+SSE pair {@code /sse} + {@code /message}, on the MCP SDK's transport SPI;</li>
 *   <li>{@code audit}: the domain's audit events as one JSON line each.</li>
 * </ul>
 *
 * <h2>What a request to an MCP endpoint goes through, in order</h2>
 * Which paths are MCP endpoints is decided in one place, {@code auth.ProtectedPaths}.
 * <ol>
 *   <li>{@code transport.RequestHygieneFilter} ({@code ServerFilterPhase.FIRST.after()}):
 *       {@code Origin} and {@code Host} allow-lists (DNS rebinding), declared body size. No token
 *       is looked at for a request refused here.</li>
 *   <li>{@code auth.BearerRequestFilter} ({@code SECURITY.before()}, every path): a token in the
 *       URL or two {@code Authorization} headers is refused with 400.</li>
 *   <li>Authentication ({@code SECURITY}): {@code auth.BearerTokenValidator} verifies the token and
 *       attaches the domain caller and the token's expiry to the request
 *       ({@code auth.AuthenticatedCaller}, the only seam between the two halves). On an MCP
 *       endpoint that is done synchronously by {@code auth.McpBearerAuthenticationFilter}, for which
 *       micronaut-security's filter ({@code auth.McpAwareSecurityFilter}) stands aside when nothing
 *       else could decide there; otherwise micronaut-security's filter runs the validator and
 *       {@code auth.McpEndpointsSecurityRule} refuses an MCP endpoint without that caller. Every
 *       other path always goes through micronaut-security's filter.</li>
 *   <li>{@code auth.CallerRequiredFilter} ({@code SECURITY.after()}): fails closed if the security
 *       filter was disabled or narrowed by configuration.</li>
 *   <li>The controller: {@code transport.RequestGate} (caller, per-principal rate limit, media
 *       types, body size, protocol version), then the JSON-RPC message, the session (bound to the
 *       principal {@code tid} + {@code oid}), {@code transport.ToolCallGuard} (the step-up 403) and
 *       the tools. A stream the server keeps open ends when the token that opened it expires.</li>
 * </ol>
 *
 * <p>Around all of it, on every path, {@link dev.entramcp.adapter.http.StrictTransportSecurityFilter}
 * adds {@code Strict-Transport-Security} to every answer when the client's connection is TLS
 * ({@code micronaut.server.ssl.enabled}, or {@code entramcp.http.hsts.enabled} for TLS ended by a
 * proxy in front), and never over plain HTTP.
 *
 * <h2>Two error shapes, by layer</h2>
 * <ul>
 *   <li><b>The authentication layer</b> (no token, a refused token, a token in the URL, signing
 *       keys not loaded yet, a security rule's refusal) answers in OAuth's vocabulary (RFC 6750
 *       section 3): the status, a {@code WWW-Authenticate: Bearer} challenge with
 *       {@code resource_metadata} and {@code scope} (and {@code error}, {@code error_description}
 *       once a token was presented), and the body {@code {"error": ..., "error_description": ...}}.
 *       It answers before any JSON-RPC message is read, the same way on every path, and all its
 *       answers come from {@code auth.AuthenticationRefusals}, including the transports' own
 *       defensive 401.</li>
 *   <li><b>The MCP transports</b> answer everything else on {@code /mcp}, {@code /sse} and
 *       {@code /message} with a JSON-RPC error object ({@code {"jsonrpc": "2.0", "error": {...}}},
 *       with the request's {@code id} when it has one): a disallowed Origin or Host (403), the rate
 *       limit (429), media types (406, 415), sizes (413), malformed JSON-RPC (400 with -32700 or
 *       -32600), unknown sessions (404). The step-up refusal of a {@code tools/call} (403) is a
 *       JSON-RPC error answering that call <em>and</em> carries the RFC 6750
 *       {@code insufficient_scope} challenge naming every scope the tool needs, as the MCP
 *       authorization spec (2025-11-25) asks.</li>
 * </ul>
 * No answer ever carries a stack trace, a token or an exception message.
 */
package dev.entramcp.adapter.http;
