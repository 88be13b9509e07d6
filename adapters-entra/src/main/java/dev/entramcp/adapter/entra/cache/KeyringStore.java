package dev.entramcp.adapter.entra.cache;

import java.util.Optional;

/** One secret item in an OS keyring: read it, or write it once when it is first needed. */
interface KeyringStore {

    Optional<byte[]> read();

    void write(byte[] secret);

    /** Names the keyring for logs, for example {@code "macOS Keychain"}. */
    String description();
}
