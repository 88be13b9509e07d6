package dev.entramcp.adapter.http.facade.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The durable store: the contract, plus what only a file store must do. */
class FileRecordStoreTest extends RecordStoreContract {

    @TempDir
    Path temp;

    private final List<FileRecordStore> opened = new ArrayList<>();
    private int stores;

    @Override
    protected RecordStore store() {
        return open(temp.resolve("store-" + stores++));
    }

    private FileRecordStore open(Path directory) {
        FileRecordStore store = FileRecordStore.open(directory, clock);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(FileRecordStore::close);
    }

    @Test
    void givenRecordsWritten_reopeningTheDirectory_findsThemAll() {
        Path directory = temp.resolve("durable");
        FileRecordStore first = open(directory);
        first.put("clients", "client-1", "registration".getBytes(StandardCharsets.UTF_8), Optional.empty());
        first.close();
        opened.remove(first);

        FileRecordStore second = open(directory);

        assertThat(second.get("clients", "client-1")).hasValueSatisfying(
                value -> assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo("registration"));
    }

    @Test
    void givenANewStore_itsDirectoryAndFiles_areOpenToTheOwnerOnly() throws Exception {
        Path directory = temp.resolve("private");
        FileRecordStore store = open(directory);

        store.put("grants", "g1", new byte[]{1, 2, 3}, Optional.empty());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.walk(directory)) {
            files.filter(Files::isRegularFile).forEach(file -> assertThat(permissions(file)).isEqualTo("rw-------"));
        }
        try (Stream<Path> files = Files.list(directory.resolve("grants"))) {
            assertThat(files.map(file -> file.getFileName().toString()).toList())
                    .singleElement().satisfies(name -> assertThat(name).doesNotContain("g1").hasSize(64));
        }
    }

    @Test
    void givenADirectoryOpenToOthers_open_refusesSayingWhatToDo() throws Exception {
        Path directory = Files.createDirectory(temp.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-x---"));

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> FileRecordStore.open(directory, clock))
                .withMessageContaining("chmod 700");
    }

    @Test
    void givenTheStoreOpenInThisProcess_openingItAgain_isRefused() {
        Path directory = temp.resolve("locked");
        open(directory);

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> FileRecordStore.open(directory, clock))
                .withMessageContaining("in use by another process");
    }

    @Test
    void givenExpiredRecordsAndALeftoverTemporaryFile_sweepExpired_deletesThem() throws Exception {
        Path directory = temp.resolve("sweep");
        FileRecordStore store = open(directory);
        store.put("codes", "c1", new byte[]{1}, Optional.of(clock.instant().plusSeconds(60)));
        store.put("grants", "g1", new byte[]{2}, Optional.empty());
        Files.write(directory.resolve("codes").resolve(".tmp-crashed"), new byte[]{9});
        clock.advance(java.time.Duration.ofMinutes(2));

        int removed = store.sweepExpired();

        assertThat(removed).isEqualTo(1);
        try (Stream<Path> files = Files.list(directory.resolve("codes"))) {
            assertThat(files.toList()).isEmpty();
        }
        assertThat(store.get("grants", "g1")).isPresent();
    }

    private static String permissions(Path file) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
