package dev.entramcp.adapter.http.facade.store;

class InMemoryRecordStoreTest extends RecordStoreContract {

    @Override
    protected RecordStore store() {
        return new InMemoryRecordStore(clock);
    }
}
