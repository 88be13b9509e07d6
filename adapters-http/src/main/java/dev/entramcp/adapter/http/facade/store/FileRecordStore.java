package dev.entramcp.adapter.http.facade.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The durable store: one file per record under a directory that only the server's user can open,
 * so that a restart loses no registered client, no grant and no signing key.
 *
 * <ul>
 *   <li><b>Layout:</b> {@code <directory>/<namespace>/<hex SHA-256 of the key>}; a file name
 *       reveals neither the key nor the value, and every value is sealed before it gets here.</li>
 *   <li><b>Permissions:</b> the directory is created {@code 0700} and refused if it is open to
 *       the group or others; each file is written {@code 0600}.</li>
 *   <li><b>Atomic writes:</b> a temporary file in the same directory, {@code fsync}, then an
 *       atomic rename over the old file: a crash leaves the old record or the new one, never half
 *       of one.</li>
 *   <li><b>One process:</b> the store takes an exclusive lock on {@code <directory>/.lock} and
 *       refuses to open if another process holds it; within the process, a lock per key stripe
 *       makes {@link #take} and {@link #compareAndSet} atomic. Several server instances need a
 *       shared store (Redis) instead: see {@link RecordStore}.</li>
 *   <li><b>Expiry:</b> stored in the file's first 8 bytes, in the clear, so that
 *       {@link #sweepExpired} can delete expired records (at start, and on a schedule) without a
 *       key; an expired record is absent. Anyone who can write the files can change that copy:
 *       {@link SealedRecords} seals the expiry inside each record too and enforces it on read.</li>
 * </ul>
 */
public final class FileRecordStore implements RecordStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileRecordStore.class);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final int STRIPES = 64;
    private static final long NO_EXPIRY = Long.MAX_VALUE;

    private final Path directory;
    private final Clock clock;
    private final boolean posix;
    private final FileChannel lockChannel;
    private final FileLock processLock;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    private FileRecordStore(Path directory, Clock clock, boolean posix, FileChannel lockChannel, FileLock processLock) {
        this.directory = directory;
        this.clock = clock;
        this.posix = posix;
        this.lockChannel = lockChannel;
        this.processLock = processLock;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Opens (creating if needed) the store in {@code directory}.
     *
     * @throws IllegalStateException if the directory is open to others, or another process has it open
     */
    public static FileRecordStore open(Path directory, Clock clock) {
        Objects.requireNonNull(directory, "'directory' must not be null");
        Objects.requireNonNull(clock, "'clock' must not be null");
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path dir = directory.toAbsolutePath().normalize();
        try {
            if (Files.notExists(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
                    Files.setPosixFilePermissions(dir, OWNER_ONLY_DIRECTORY);
                } else {
                    Files.createDirectories(dir);
                }
            }
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("The facade store path " + dir + " is not a directory");
            }
            if (posix) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
                if (!OWNER_ONLY_DIRECTORY.containsAll(permissions)) {
                    throw new IllegalStateException("The facade store directory " + dir + " is open to other users ("
                            + PosixFilePermissions.toString(permissions) + "): run chmod 700 on it");
                }
            } else {
                LOG.warn("The file system of {} has no POSIX permissions: protect the facade store directory with the "
                        + "operating system's access control lists", dir);
            }
            Path lockFile = dir.resolve(".lock");
            FileChannel channel = posix
                    ? FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
                    : FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("The facade store " + dir + " is in use by another process; a durable "
                        + "file store serves one server instance (several instances need a shared store)");
            }
            FileRecordStore store = new FileRecordStore(dir, clock, posix, channel, lock);
            store.sweepExpired();
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("The facade store " + dir + " cannot be opened", e);
        }
    }

    @Override
    public Optional<byte[]> get(String namespace, String key) {
        Path file = file(namespace, key);
        ReentrantLock lock = lockFor(file);
        lock.lock();
        try {
            return readLive(file);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void put(String namespace, String key, byte[] value, Optional<Instant> expiresAt) {
        Objects.requireNonNull(value, "'value' must not be null");
        Objects.requireNonNull(expiresAt, "'expiresAt' must not be null");
        Path file = file(namespace, key);
        ReentrantLock lock = lockFor(file);
        lock.lock();
        try {
            write(file, value, expiresAt);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<byte[]> take(String namespace, String key) {
        Path file = file(namespace, key);
        ReentrantLock lock = lockFor(file);
        lock.lock();
        try {
            Optional<byte[]> value = readLive(file);
            deleteFile(file);
            return value;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean compareAndSet(String namespace, String key, Optional<byte[]> expected, byte[] value,
                                 Optional<Instant> expiresAt) {
        Objects.requireNonNull(expected, "'expected' must not be null");
        Path file = file(namespace, key);
        ReentrantLock lock = lockFor(file);
        lock.lock();
        try {
            Optional<byte[]> current = readLive(file);
            boolean matches = expected.isEmpty() ? current.isEmpty()
                    : current.isPresent() && Arrays.equals(current.get(), expected.get());
            if (matches) {
                write(file, value, expiresAt);
            }
            return matches;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete(String namespace, String key) {
        Path file = file(namespace, key);
        ReentrantLock lock = lockFor(file);
        lock.lock();
        try {
            deleteFile(file);
        } finally {
            lock.unlock();
        }
    }

    /** Deletes every expired record (and any temporary file a crash left behind); returns how many. */
    public int sweepExpired() {
        int removed = 0;
        try (DirectoryStream<Path> namespaces = Files.newDirectoryStream(directory, Files::isDirectory)) {
            for (Path namespace : namespaces) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(namespace)) {
                    for (Path file : files) {
                        if (file.getFileName().toString().startsWith(".tmp-")) {
                            Files.deleteIfExists(file);
                            continue;
                        }
                        ReentrantLock lock = lockFor(file);
                        lock.lock();
                        try {
                            if (Files.exists(file) && readLive(file).isEmpty()) {
                                removed++;
                            }
                        } finally {
                            lock.unlock();
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Sweeping expired records of the facade store failed: {}", e.getClass().getSimpleName());
        }
        return removed;
    }

    @Override
    public void close() {
        try {
            processLock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("Releasing the facade store lock failed: {}", e.getClass().getSimpleName());
        }
    }

    /** The record's value, or empty when the file is absent, unreadable or expired (then deleted). */
    private Optional<byte[]> readLive(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("A facade store record cannot be read", e);
        }
        if (bytes.length < Long.BYTES) {
            LOG.warn("A facade store record is truncated; it is ignored and removed");
            deleteFile(file);
            return Optional.empty();
        }
        long expiry = ByteBuffer.wrap(bytes, 0, Long.BYTES).getLong();
        if (expiry != NO_EXPIRY && clock.millis() >= expiry) {
            deleteFile(file);
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(bytes, Long.BYTES, bytes.length));
    }

    private void write(Path file, byte[] value, Optional<Instant> expiresAt) {
        ByteBuffer content = ByteBuffer.allocate(Long.BYTES + value.length);
        content.putLong(expiresAt.map(Instant::toEpochMilli).orElse(NO_EXPIRY)).put(value);
        try {
            Path parent = file.getParent();
            if (Files.notExists(parent)) {
                if (posix) {
                    Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
                } else {
                    Files.createDirectories(parent);
                }
            }
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)} : new FileAttribute<?>[0];
            Path temporary = Files.createTempFile(parent, ".tmp-", "", attributes);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.flip();
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.deleteIfExists(temporary);
                throw new IllegalStateException("The facade store's file system cannot rename atomically", e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("A facade store record cannot be written", e);
        }
    }

    private static void deleteFile(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("A facade store record cannot be deleted", e);
        }
    }

    private Path file(String namespace, String key) {
        RecordKeys.checkNamespace(namespace);
        RecordKeys.checkKey(key);
        return directory.resolve(namespace).resolve(HexFormat.of().formatHex(sha256(key)));
    }

    private ReentrantLock lockFor(Path file) {
        return stripes[Math.floorMod(file.hashCode(), STRIPES)];
    }

    private static byte[] sha256(String value) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
