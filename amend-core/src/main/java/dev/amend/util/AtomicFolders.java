package dev.amend.util;

import dev.amend.AmendException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a whole folder atomically: its files go into a hidden temporary sibling folder, which
 * is renamed to the target only once every file is complete. An interrupted or failed write
 * leaves either nothing or the previous folder, never a folder in which some files are new and
 * others missing or old (a model whose parameters do not match its model.json, say).
 */
public final class AtomicFolders {
    private static final String TMP = "tmp-";
    private static final String OLD = "old-";
    // What createTempDirectory makes of leftoverPrefix: kind, process id, random digits. Earlier
    // versions wrote no process id ("tmp-RANDOM"); such a leftover counts as abandoned.
    private static final Pattern LEFTOVER = Pattern.compile("(tmp|old)-\\d+(-\\d+)?");
    private static final Pattern LEFTOVER_NAME = Pattern.compile("\\..+\\.(tmp|old)-\\d+(-\\d+)?");

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
     * {@code replaceable} accepts it (amend's own output of the same kind) and, when both the
     * old and the new folder record the command that wrote them (see {@link OutputOwner}), the
     * commands agree. Otherwise the write fails before anything is written (the kind), or before
     * anything is replaced (the command), so a mistyped {@code --out} cannot delete a user's
     * folder. Leftovers of an interrupted earlier write are recovered first (see {@link #recover}).
     *
     * @param what what the folder is, for messages ("model folder", "run folder")
     * @return whether an earlier folder was replaced
     */
    public static boolean write(Path target, String what, Predicate<Path> replaceable, Writer writer) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        recover(absolute);
        checkReplaceable(absolute, what, replaceable, null);
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, leftoverPrefix(absolute, TMP));
            readableByAll(tmp);
            writer.write(tmp);
            OutputManifest.writeFor(tmp);
            // The check is repeated: the target may have appeared while the files were written.
            checkReplaceable(absolute, what, replaceable, tmp);
            checkSameOwner(absolute, tmp, what);
            if (Files.isDirectory(absolute) && isEmpty(absolute)) {
                Files.delete(absolute);
            }
            boolean replacing = Files.exists(absolute);
            if (replacing) {
                // Between these two renames the target does not exist; recover() restores the
                // old folder if the process is killed there.
                Path old = Files.createTempDirectory(parent, leftoverPrefix(absolute, OLD));
                Files.delete(old);
                move(absolute, old);
                move(tmp, absolute);
                tmp = null;
                deleteRecursively(old);
            } else {
                move(tmp, absolute);
                tmp = null;
            }
            OutputManifest.register(absolute);
            return replacing;
        } catch (IOException | UncheckedIOException e) {
            throw new AmendException("cannot write " + what + " " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * Recovers what an interrupted write of {@code target} left beside it, and says what it did,
     * one sentence per leftover. A write killed between its two final renames leaves no target but
     * the previous folder as {@code .NAME.old-PID-*}: that folder is renamed back. Any other
     * leftover of a process that no longer runs ({@code .NAME.tmp-PID-*}, a half-written folder;
     * an {@code .old} copy beside a complete target) is deleted. Leftovers of running processes
     * are left alone.
     */
    public static List<String> recover(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return List.of();
        }
        String name = absolute.getFileName().toString();
        List<Path> olds = new ArrayList<>();
        List<Path> tmps = new ArrayList<>();
        String prefix = "." + name + ".";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent,
                e -> e.getFileName().toString().startsWith(prefix))) {
            for (Path entry : entries) {
                String rest = entry.getFileName().toString().substring(prefix.length());
                if (!LEFTOVER.matcher(rest).matches() || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                        || ownerAlive(rest)) {
                    continue;
                }
                if (rest.startsWith(OLD)) {
                    olds.add(entry);
                } else if (rest.startsWith(TMP)) {
                    tmps.add(entry);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
        List<String> done = new ArrayList<>();
        try {
            olds.sort(Comparator.comparing(AtomicFolders::modified).reversed());
            for (Path old : olds) {
                if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
                    move(old, absolute);
                    done.add("restored " + absolute + " from " + old.getFileName()
                            + ", the earlier folder an interrupted amend run left while replacing it");
                } else if (!isEmpty(old) && !sameCommand(absolute, old)) {
                    // The folder in its place is not a later output of the same command: the copy
                    // may be the only one of the earlier result.
                    done.add("kept " + parent.resolve(old.getFileName()) + ", the earlier folder an interrupted amend"
                            + " run left while replacing " + absolute + ", which now holds something else; rename it"
                            + " back or delete it yourself");
                } else {
                    deleteRecursively(old);
                    done.add("removed " + parent.resolve(old.getFileName())
                            + ", a copy an interrupted amend run left behind");
                }
            }
            for (Path tmp : tmps) {
                deleteRecursively(tmp);
                done.add("removed " + parent.resolve(tmp.getFileName())
                        + ", an incomplete folder an interrupted amend run left behind");
            }
        } catch (IOException | UncheckedIOException e) {
            throw new AmendException("cannot clean up what an interrupted amend run left beside " + absolute + ": "
                    + e.getMessage(), e);
        }
        return done;
    }

    /**
     * Refuses, with a one-line {@link AmendException}, a {@code target} the command
     * {@code command} may not write: a file, a non-empty folder that {@code command} did not
     * write (see {@link OutputOwner}), or a folder whose nearest existing ancestor is not
     * writable. Meant to run before any work, so that a wrong {@code --out} costs no time.
     *
     * @return whether {@code target} holds an earlier output of {@code command}, which the
     *     command will replace
     */
    public static boolean checkWritable(Path target, String command) {
        Path absolute = target.toAbsolutePath().normalize();
        boolean replacing = false;
        if (Files.exists(absolute)) {
            if (!Files.isDirectory(absolute)) {
                throw new AmendException("cannot write to " + target + ": it is a file, not a folder");
            }
            try {
                if (!isEmpty(absolute)) {
                    String owner = OutputOwner.of(absolute);
                    if (owner == null || !owner.equals(command)) {
                        throw new AmendException("cannot write to " + target + ": the folder holds "
                                + OutputOwner.describe(absolute) + ", and 'amend " + command
                                + "' replaces only its own earlier output; choose another folder");
                    }
                    OutputManifest.checkOnlyOwnFiles(absolute, target.toString());
                    replacing = true;
                }
            } catch (IOException e) {
                throw new AmendException("cannot read folder " + target + ": " + e.getMessage(), e);
            }
        }
        Path existing = absolute.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new AmendException("cannot write to " + target + ": " + (existing == null ? "no parent folder"
                    : existing + " is not a writable folder"));
        }
        return replacing;
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

    /**
     * Whether a file name is one of the hidden temporary names amend's atomic writes use: a
     * folder's {@code .NAME.tmp-PID-*} or {@code .NAME.old-PID-*}, a file's {@code .NAME.*.tmp}.
     */
    static boolean isLeftover(String name) {
        return name.startsWith(".") && (name.endsWith(".tmp") || LEFTOVER_NAME.matcher(name).matches());
    }

    // ".NAME.tmp-PID-" or ".NAME.old-PID-": the process id tells recover() whether the writer still runs.
    private static String leftoverPrefix(Path target, String kind) {
        return "." + target.getFileName() + "." + kind + ProcessHandle.current().pid() + "-";
    }

    // rest is "tmp-PID-RANDOM" or "old-PID-RANDOM" (or without PID, from an earlier version).
    private static boolean ownerAlive(String rest) {
        int start = rest.indexOf('-') + 1;
        int end = rest.indexOf('-', start);
        if (end < 0) {
            return false;
        }
        try {
            long pid = Long.parseLong(rest.substring(start, end));
            return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Whether {@code folder} is a folder amend wrote and listed ({@link OutputManifest}), naming
     * the command that wrote it.
     */
    public static boolean isListedOutput(Path folder) {
        return Files.isRegularFile(folder.resolve(OutputManifest.NAME), LinkOption.NOFOLLOW_LINKS)
                && OutputOwner.of(folder) != null;
    }

    // Both folders name the same command that wrote them (OutputOwner).
    private static boolean sameCommand(Path a, Path b) {
        String command = OutputOwner.of(a);
        return command != null && command.equals(OutputOwner.of(b));
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    // Both folders name the command that wrote them: a different command's output is not replaced.
    private static void checkSameOwner(Path target, Path written, String what) {
        if (!Files.isDirectory(target)) {
            return;
        }
        String before = OutputOwner.of(target);
        String now = OutputOwner.of(written);
        if (before != null && now != null && !before.equals(now)) {
            throw new AmendException("cannot write " + what + " " + target + ": the folder holds "
                    + OutputOwner.describe(target) + ", and 'amend " + now
                    + "' replaces only its own earlier output; choose another folder");
        }
    }

    /**
     * Refuses, before any work, a {@code target} that {@link #write} would refuse: a file, or a
     * non-empty folder that {@code replaceable} does not accept and amend did not list as its
     * output ({@link #isListedOutput}), or one holding a file amend did not write
     * ({@link OutputManifest#checkOnlyOwnFiles}). A missing or empty folder passes.
     *
     * @param what what the folder is, for messages ("experiment part folder")
     */
    public static void checkReplaceable(Path target, String what, Predicate<Path> replaceable) {
        checkReplaceable(target.toAbsolutePath().normalize(), what, replaceable, null);
    }

    // written: the new folder, once written; a listed output is then replaced only by the command that wrote it.
    private static void checkReplaceable(Path target, String what, Predicate<Path> replaceable, Path written) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new AmendException("cannot write " + what + " " + target + ": it exists and is not a folder");
        }
        try {
            // A folder amend listed, with the command that wrote it, is its own even when some of its
            // files were moved away (a model taken out to deploy, say), if the new folder comes from
            // the same command.
            if (!isEmpty(target) && !replaceable.test(target)
                    && !(isListedOutput(target) && (written == null || sameCommand(target, written)))) {
                throw new AmendException("cannot write " + what + " " + target + ": the folder is not empty and is not"
                        + " an amend " + what + "; choose another folder or empty it");
            }
            OutputManifest.checkOnlyOwnFiles(target, target.toString());
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
