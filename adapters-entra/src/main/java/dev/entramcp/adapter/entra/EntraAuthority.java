package dev.entramcp.adapter.entra;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Microsoft Entra authority a client signs in against: a cloud instance (the host) and a tenant.
 *
 * <p>msal4j accepts only {@code https} authorities. For the public cloud and the national clouds it
 * checks the host against Microsoft's instance metadata ({@code instanceDiscovery}); for a local
 * stand-in (the project's emulator, mock-oauth2-server) that check is switched off, and msal4j then
 * uses Entra's URL layout on that host ({@code /{tenant}/oauth2/v2.0/token}, {@code .../devicecode},
 * {@code .../authorize}).
 *
 * @param instance          {@code https://host[:port]}, without a path
 * @param tenant            a tenant id (GUID), a verified domain, or {@code organizations}/{@code common}
 * @param instanceDiscovery whether msal4j validates the host against Microsoft's instance metadata
 */
public record EntraAuthority(URI instance, String tenant, boolean instanceDiscovery) {

    /** The global Azure cloud. */
    public static final URI PUBLIC_CLOUD = URI.create("https://login.microsoftonline.com");

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,254}");

    public EntraAuthority {
        Objects.requireNonNull(instance, "'instance' must not be null");
        if (!"https".equalsIgnoreCase(instance.getScheme()) || instance.getHost() == null) {
            throw new IllegalArgumentException("'instance' must be an https URL (msal4j refuses other schemes), got " + instance);
        }
        if (instance.getRawQuery() != null || instance.getRawFragment() != null
                || (instance.getRawPath() != null && !instance.getRawPath().isEmpty() && !"/".equals(instance.getRawPath()))) {
            throw new IllegalArgumentException("'instance' must be only scheme, host and port (the tenant is separate), got " + instance);
        }
        instance = URI.create(instance.getScheme().toLowerCase(Locale.ROOT) + "://" + instance.getRawAuthority());
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("'tenant' must be a tenant id, a domain, 'organizations' or 'common'");
        }
    }

    /** {@code https://login.microsoftonline.com/{tenant}/}. */
    public static EntraAuthority publicCloud(String tenant) {
        return new EntraAuthority(PUBLIC_CLOUD, tenant, true);
    }

    /**
     * Another Microsoft cloud, for example {@code https://login.microsoftonline.us} (US Government)
     * or {@code https://login.chinacloudapi.cn}, validated by instance discovery.
     */
    public static EntraAuthority cloud(URI instance, String tenant) {
        return new EntraAuthority(instance, tenant, true);
    }

    /**
     * A local Entra stand-in such as {@code https://localhost:8443} (the emulator): instance
     * discovery off, Entra's URL layout on that host. It must still be https.
     */
    public static EntraAuthority local(URI instance, String tenant) {
        return new EntraAuthority(instance, tenant, false);
    }

    /**
     * The same cloud instance, another tenant: the authority of a multi-tenant caller's own tenant
     * (On-Behalf-Of must be asked of the tenant that issued the incoming token).
     */
    public EntraAuthority forTenant(String otherTenant) {
        return new EntraAuthority(instance, otherTenant, instanceDiscovery);
    }

    /** The authority URL msal4j expects: {@code https://host/tenant/}. */
    public String url() {
        return instance + "/" + tenant + "/";
    }

    /** The v2 token endpoint, {@code {authority}oauth2/v2.0/token}. */
    public URI tokenEndpoint() {
        return URI.create(url() + "oauth2/v2.0/token");
    }

    /**
     * The v2 admin-consent URL an administrator opens to grant this application the given scopes
     * tenant-wide: {@code {authority}v2.0/adminconsent?client_id=...&scope=...}. Scopes must be
     * fully qualified ({@code https://graph.microsoft.com/Mail.Send}).
     */
    public URI adminConsentUrl(String clientId, Collection<String> qualifiedScopes) {
        String scope = qualifiedScopes.stream().sorted().collect(Collectors.joining(" "));
        return URI.create(url() + "v2.0/adminconsent?client_id=" + encode(clientId) + "&scope=" + encode(scope));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
