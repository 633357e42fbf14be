package dev.amend.cli;

import dev.amend.AmendException;
import dev.amend.run.format.RepairDirectory;
import dev.amend.util.AtomicFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Checks made before a treatment starts, so that a mistyped or read-only {@code --out} fails in
 * a second instead of after minutes of training. The atomic write checks again at the end.
 */
final class RepairOutput {
    private RepairOutput() {
    }

    /**
     * Refuses an {@code --out} that cannot be written: one that is a file, a non-empty folder
     * that is not a repair folder (a training run, whose model must stay untouched), or one
     * whose nearest existing ancestor is not writable. Null (the default folder) passes.
     */
    static void checkWritable(Path out) {
        if (out == null) {
            return;
        }
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) {
                throw new AmendException("cannot write to " + out + ": it is a file, not a folder");
            }
            // A folder amend listed is its own even with files moved away; OutputOptions checks the command.
            if (!isEmpty(target) && !RepairDirectory.isRepairFolder(target) && !AtomicFolders.isListedOutput(target)) {
                throw new AmendException("cannot write to " + out + ": the folder is not empty and holds no earlier"
                        + " treat or repair result; choose another folder");
            }
        }
        Path existing = target.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new AmendException("cannot write to " + out + ": " + (existing == null ? "no parent folder" : existing
                    + " is not a writable folder"));
        }
    }

    private static boolean isEmpty(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new AmendException("cannot read folder " + folder + ": " + e.getMessage(), e);
        }
    }
}
