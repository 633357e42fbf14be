package dev.amend.provenance;

import dev.amend.AmendException;
import dev.amend.util.AtomicFiles;
import dev.amend.util.Json;
import dev.amend.util.OutputOwner;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The files every run folder holds: {@value #SPEC} (what the run was given, enough to run it
 * again) and {@value #PROVENANCE} (what it ran on). All writes are atomic, so an interrupted
 * run never leaves a truncated JSON file behind.
 */
public final class RunFiles {
    public static final String SPEC = "spec.json";
    public static final String PROVENANCE = OutputOwner.PROVENANCE;

    // Sorts by time in a file listing and contains no characters that need quoting in a shell.
    private static final DateTimeFormatter FOLDER_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private RunFiles() {
    }

    /** Writes {@code spec} as {@value #SPEC} into {@code runFolder}. */
    public static Path writeSpec(Path runFolder, Object spec) {
        return writeJson(runFolder.resolve(SPEC), spec);
    }

    /** Writes {@code provenance} as {@value #PROVENANCE} into {@code runFolder}. */
    public static Path writeProvenance(Path runFolder, Provenance provenance) {
        return writeJson(runFolder.resolve(PROVENANCE), provenance);
    }

    /** Writes {@code value} as pretty-printed JSON to {@code file} atomically; returns the file. */
    public static Path writeJson(Path file, Object value) {
        AtomicFiles.writeString(file, Json.toJson(value));
        return file;
    }

    /**
     * Creates and returns a new, empty folder {@code runsRoot/name/<UTC time of start>}; a run
     * that starts in the same second as another gets a numbered suffix instead of sharing its
     * folder.
     */
    public static Path newRunFolder(Path runsRoot, String name, Instant start) {
        Path parent = runsRoot.resolve(name);
        String stem = FOLDER_TIME.format(start);
        try {
            Files.createDirectories(parent);
            for (int attempt = 1; ; attempt++) {
                Path folder = parent.resolve(attempt == 1 ? stem : stem + "-" + attempt);
                try {
                    // createDirectory fails if the folder exists, so two runs never claim the same one.
                    return Files.createDirectory(folder);
                } catch (FileAlreadyExistsException taken) {
                    // try the next suffix
                }
            }
        } catch (IOException e) {
            throw new AmendException("cannot create a run folder in " + parent + ": " + e.getMessage(), e);
        }
    }
}
