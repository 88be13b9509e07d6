package dev.entramcp.adapter.http.facade;

import dev.entramcp.adapter.http.auth.AuthSettings;
import dev.entramcp.adapter.http.auth.AuthenticationFactory;
import dev.entramcp.adapter.http.auth.JwksKeySource;
import dev.entramcp.adapter.http.auth.TrustedIssuer;
import dev.entramcp.adapter.http.auth.TrustedIssuers;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * A deliberate misconfiguration for one test server: one more {@link TrustedIssuers} group that
 * trusts the Entra test tenant beside the facade (as a stray bean or a wrong wiring would), so
 * that an Entra token passes the verifier in facade mode and {@link GrantLivenessFilter} must
 * refuse it on its own.
 */
@Singleton
@Named("test-entra-beside-facade")
@Requires(property = EntraBesideFacadeIssuers.ENABLED, value = "true")
class EntraBesideFacadeIssuers implements TrustedIssuers {

    static final String ENABLED = "test.facade.entra-beside-facade";

    private final List<TrustedIssuer> issuers;

    EntraBesideFacadeIssuers(AuthSettings settings, @Named(AuthenticationFactory.ENTRA) JwksKeySource keys) {
        this.issuers = settings.allowedTenants().stream()
                .map(tenant -> TrustedIssuer.entraTenant(settings.authorityHost(), tenant, settings.audiences(),
                        settings.algorithms(), keys))
                .toList();
    }

    @Override
    public List<TrustedIssuer> trustedIssuers() {
        return issuers;
    }
}
