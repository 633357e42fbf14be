package dev.amend.util;

import dev.amend.AmendException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Writes a whole folder atomically: its files go into a hidden temporary sibling folder, which
 * is renamed to the target only once every file is complete. An interrupted or failed write
 * leaves either nothing or the previous folder, never a folder in which some files are new and
 * others missing or old (a model whose parameters do not match its model.json, say).
 */
public final class AtomicFolders {
    private AtomicFolders() {
    }

    /** Something that fills a folder with files. */
    @FunctionalInterface
    public interface Writer {
        void write(Path folder) throws IOException;
    }

    /**
     * Writes {@code target} with the files produced by {@code writer}. A missing or empty
     * target is simply created; an existing non-empty one is replaced only if
     * {@code replaceable} accepts it (amend's own output of the same kind), otherwise the
     * write fails before anything is written, so a mistyped {@code --out} cannot delete a
     * user's folder.
     *
     * @param what what the folder is, for messages ("model folder", "run folder")
     */
    public static void write(Path target, String what, Predicate<Path> replaceable, Writer writer) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        checkReplaceable(absolute, what, replaceable);
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".tmp-");
            readableByAll(tmp);
            writer.write(tmp);
            // The check is repeated: the target may have appeared while the files were written.
            checkReplaceable(absolute, what, replaceable);
            if (Files.isDirectory(absolute) && isEmpty(absolute)) {
                Files.delete(absolute);
            }
            if (Files.exists(absolute)) {
                Path old = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".old-");
                Files.delete(old);
                move(absolute, old);
                move(tmp, absolute);
                tmp = null;
                deleteRecursively(old);
            } else {
                move(tmp, absolute);
                tmp = null;
            }
        } catch (IOException | UncheckedIOException e) {
            throw new AmendException("cannot write " + what + " " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    /** Deletes a folder and everything in it; a missing folder is fine. */
    public static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void checkReplaceable(Path target, String what, Predicate<Path> replaceable) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new AmendException("cannot write " + what + " " + target + ": it exists and is not a folder");
        }
        try {
            if (!isEmpty(target) && !replaceable.test(target)) {
                throw new AmendException("cannot write " + what + " " + target + ": the folder is not empty and is not"
                        + " an amend " + what + "; choose another folder or empty it");
            }
        } catch (IOException e) {
            throw new AmendException("cannot read folder " + target + ": " + e.getMessage(), e);
        }
    }

    /** Temporary folders are created owner-only; a run folder should be as readable as any other folder. */
    private static void readableByAll(Path folder) throws IOException {
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep its defaults
        }
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            return !entries.iterator().hasNext();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteQuietly(Path folder) {
        try {
            deleteRecursively(folder);
        } catch (IOException | UncheckedIOException ignored) {
            // a hidden leftover is harmless; the original error is what the user needs to see
        }
    }
}
