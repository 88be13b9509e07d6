package dev.entramcp.domain.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who a caller is, across sessions and token refreshes: Entra's tenant id ({@code tid}) and the
 * object id of the user or service principal in that tenant ({@code oid}). Sessions, caches,
 * rate limits and stored tokens are all keyed by this pair, never by a name or an e-mail.
 */
public record PrincipalId(String tenantId, String objectId) {

    private static final Pattern GUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public PrincipalId {
        tenantId = Require.matches(lower(tenantId, "tenantId"), GUID, "tenantId", "a GUID");
        objectId = Require.matches(lower(objectId, "objectId"), GUID, "objectId", "a GUID");
    }

    public static PrincipalId of(String tenantId, String objectId) {
        return new PrincipalId(tenantId, objectId);
    }

    /** A stable text form, {@code tid/oid}, for logs and keys. */
    public String asKey() {
        return tenantId + "/" + objectId;
    }

    private static String lower(String value, String field) {
        return Require.notBlank(value, field).toLowerCase(Locale.ROOT);
    }
}
