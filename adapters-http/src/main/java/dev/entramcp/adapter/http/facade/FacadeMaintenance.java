package dev.entramcp.adapter.http.facade;

import dev.entramcp.adapter.http.facade.store.FileRecordStore;
import dev.entramcp.adapter.http.facade.store.RecordStore;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade's housekeeping, hourly: rotate the signing key when it is due (and drop retired keys
 * whose tokens have all expired), and delete expired records from a file store.
 */
@Context
@Requires(property = FacadeProperties.ENABLED, value = "true")
public class FacadeMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(FacadeMaintenance.class);

    private final SigningKeyring keyring;
    private final RecordStore store;

    public FacadeMaintenance(SigningKeyring keyring, RecordStore store) {
        this.keyring = keyring;
        this.store = store;
    }

    @Scheduled(fixedDelay = "1h", initialDelay = "1h")
    void hourly() {
        try {
            keyring.rotateIfDue();
            if (store instanceof FileRecordStore files) {
                int removed = files.sweepExpired();
                LOG.debug("Removed {} expired facade records", removed);
            }
        } catch (RuntimeException e) {
            LOG.warn("The facade's housekeeping failed ({}); it runs again in an hour", e.getClass().getSimpleName());
        }
    }
}
