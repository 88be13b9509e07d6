package dev.entramcp.archfixture.adapter.alpha;

import com.microsoft.aad.msal4j.PublicClientApplication;
import dev.entramcp.archfixture.adapter.beta.BetaAdapter;
import dev.entramcp.archfixture.domain.model.CleanModel;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * Violates "adapters do not depend on each other" (beta), the MCP SDK rule and the msal4j rule
 * (alpha is neither a transport nor the Entra adapter). Its use of the domain is innocent.
 */
public class AlphaAdapter {
    BetaAdapter beta;
    PublicClientApplication msal;
    McpSchema.Tool tool;
    CleanModel model;
}
