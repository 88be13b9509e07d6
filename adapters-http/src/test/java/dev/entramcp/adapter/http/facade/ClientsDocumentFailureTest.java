package dev.entramcp.adapter.http.facade;

import dev.entramcp.adapter.http.facade.cimd.AddressPolicy;
import dev.entramcp.adapter.http.facade.cimd.MetadataDocumentFetcher;
import dev.entramcp.adapter.http.facade.store.InMemoryRecordStore;
import dev.entramcp.adapter.http.facade.store.SealedRecords;
import dev.entramcp.adapter.http.facade.store.StoreKeys;
import dev.entramcp.adapter.http.support.MutableClock;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fetch of a client metadata document that fails in a way nobody foresaw (any runtime
 * exception) is a refusal like any other: no server error, and remembered in the failure cache,
 * so a client id cannot make the server fetch again and again by failing that way.
 */
class ClientsDocumentFailureTest {

    private static final String CLIENT_ID = "https://client.example/mcp-client.json";

    @Test
    void givenAFetchThatThrowsUnexpectedly_find_refusesAndRemembersTheRefusalWithoutFetchingAgain() throws Exception {
        MutableClock clock = MutableClock.atNow();
        AtomicInteger fetches = new AtomicInteger();
        MetadataDocumentFetcher failing = new MetadataDocumentFetcher(new AddressPolicy(false), SSLContext.getDefault(),
                host -> {
                    fetches.incrementAndGet();
                    throw new IllegalStateException("a failure nobody foresaw");
                }, Duration.ofSeconds(5), 16_384);
        Clients clients = new Clients(new SealedRecords(new InMemoryRecordStore(clock), StoreKeys.ephemeral(), clock),
                Optional.of(failing), Duration.ofMinutes(10), Duration.ofSeconds(60), 4, clock);

        Clients.Lookup first = clients.find(CLIENT_ID);
        Clients.Lookup second = clients.find(CLIENT_ID);

        assertThat(first).isInstanceOf(Clients.Lookup.NotFound.class);
        assertThat(((Clients.Lookup.NotFound) first).reason()).isEqualTo("the client metadata document could not be read");
        assertThat(((Clients.Lookup.NotFound) second).reason()).contains("remembered");
        assertThat(fetches).hasValue(1);
    }
}
