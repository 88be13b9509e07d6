package dev.entramcp.emulator;

/** The token endpoint's grants, as counted by {@link Counters}. */
public enum Grant {
    AUTHORIZATION_CODE("authorization_code"),
    REFRESH_TOKEN("refresh_token"),
    CLIENT_CREDENTIALS("client_credentials"),
    /** {@code urn:ietf:params:oauth:grant-type:jwt-bearer} with {@code requested_token_use=on_behalf_of}. */
    ON_BEHALF_OF("urn:ietf:params:oauth:grant-type:jwt-bearer"),
    /** Both Entra's short {@code device_code} (what msal4j sends) and RFC 8628's URN. */
    DEVICE_CODE("urn:ietf:params:oauth:grant-type:device_code");

    private final String wireName;

    Grant(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code grant_type} value of RFC 6749 and its extensions. */
    public String wireName() {
        return wireName;
    }
}
