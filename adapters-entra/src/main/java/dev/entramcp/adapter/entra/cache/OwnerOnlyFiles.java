package dev.entramcp.adapter.entra.cache;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files readable and writable by their owner only ({@code 0600}, directories {@code 0700}), created
 * with those permissions from the start (never created wide and narrowed afterwards), and replaced
 * atomically. On file systems without POSIX permissions (Windows) the permission parts are skipped;
 * there the user profile's ACLs apply.
 */
final class OwnerOnlyFiles {

    static final Set<PosixFilePermission> OWNER_READ_WRITE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private OwnerOnlyFiles() {
    }

    static boolean supportsPosix(Path path) {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
    }

    /**
     * Creates the parent directory (0700) if it is missing. An existing one is refused if other users
     * may write to it: they could then plant a link or a file of their own under a name this class is
     * about to create and open (the key file, the cache's temporary file) and read what is written.
     */
    static void createParentDirectory(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null) {
            return;
        }
        if (Files.isDirectory(parent)) {
            refuseIfOthersMayWrite(parent);
            return;
        }
        if (supportsPosix(parent)) {
            Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        } else {
            Files.createDirectories(parent);
        }
    }

    /** Opens (creating it 0600 if missing) a file for writing, without truncating it. */
    static FileChannel openForLocking(Path file) throws IOException {
        createParentDirectory(file);
        try {
            return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnlyAttributes(file));
        } catch (FileAlreadyExistsException alreadyThere) {
            return FileChannel.open(file, StandardOpenOption.WRITE);
        }
    }

    /**
     * Creates a new file, 0600 from its first byte; fails if it exists. The content is written and
     * forced to disk through a {@link FileOutputStream}, not a {@link FileChannel}: an interrupt
     * closes a channel in the middle of a write ({@code ClosedByInterruptException}), and msal4j's
     * threads are interrupted when the process shuts down, which must not lose the last change.
     */
    static void createNew(Path file, byte[] content) throws IOException {
        createParentDirectory(file);
        Files.createFile(file, ownerOnlyAttributes(file));
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            out.write(content);
            out.getFD().sync();
        }
    }

    /**
     * Replaces {@code target} with {@code content}: writes a 0600 temporary file beside it, forces it
     * to disk, then renames it over the target atomically. A crash leaves either the old or the new
     * file, never a half-written one. The caller holds the cache lock, so the fixed temporary name
     * cannot be raced by another writer; a stale one left by a crash is removed first.
     */
    static void replaceAtomically(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        createNew(temp, content);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void refuseIfOthersMayWrite(Path directory) throws IOException {
        if (!supportsPosix(directory)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("Refusing to keep the token cache in " + directory + ": other users may write to it ("
                    + PosixFilePermissions.toString(permissions) + "). Choose a directory only you can write to, or run: chmod 700 "
                    + directory);
        }
    }

    /** True if the file grants any permission to its group or to others. */
    static boolean isLooserThanOwnerOnly(Path file) throws IOException {
        if (!supportsPosix(file)) {
            return false;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        return permissions.stream().anyMatch(p -> !p.name().startsWith("OWNER_"));
    }

    static void restrictToOwner(Path file) throws IOException {
        if (supportsPosix(file)) {
            Files.setPosixFilePermissions(file, OWNER_READ_WRITE);
        }
    }

    static String describePermissions(Path file) throws IOException {
        return supportsPosix(file) ? PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) : "(no POSIX permissions)";
    }

    private static FileAttribute<?>[] ownerOnlyAttributes(Path file) {
        return supportsPosix(file)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
                : new FileAttribute<?>[0];
    }
}
