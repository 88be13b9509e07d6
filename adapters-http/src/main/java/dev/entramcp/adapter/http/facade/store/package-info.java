/**
 * What the facade remembers, sealed: a {@link dev.entramcp.adapter.http.facade.store.RecordStore}
 * of opaque bytes (in memory, or owner-only files; a shared store such as Redis implements the same
 * five atomic operations), {@link dev.entramcp.adapter.http.facade.store.SealedRecords} (AES-256-GCM,
 * a key id in every record, records bound to their place and their expiry; rollback and deletion by
 * whoever can write the store are not detected), and the domain's upstream token store
 * on top ({@link dev.entramcp.adapter.http.facade.store.EncryptedUpstreamTokenStore}).
 */
package dev.entramcp.adapter.http.facade.store;
