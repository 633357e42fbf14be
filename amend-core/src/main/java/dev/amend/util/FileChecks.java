package dev.amend.util;

import dev.amend.AmendException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One-line messages for files the user names that cannot be read: missing, a folder, a named
 * pipe or device (which would block or never end), not text where text is expected.
 */
public final class FileChecks {
    private FileChecks() {
    }

    /** Fails unless {@code file} is a regular file (following links), naming what it is instead. */
    public static void requireFile(Path file) {
        if (Files.isRegularFile(file)) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new AmendException(file + " is a folder, expected a file");
        }
        if (Files.exists(file)) {
            throw new AmendException(file + " is not a regular file but a named pipe, socket or device;"
                    + " amend reads only regular files");
        }
        throw new AmendException("file not found: " + file);
    }

    /** Fails unless {@code dir} is a folder (following links), naming what it is instead. */
    public static void requireFolder(Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        throw new AmendException(Files.exists(dir) ? dir + " is a file, expected a folder" : "folder not found: " + dir);
    }

    /** A one-line message for an I/O failure while reading {@code file} as text or data. */
    public static AmendException readError(Path file, IOException e) {
        if (e instanceof CharacterCodingException) {
            return new AmendException(file + " is not a text file: it holds bytes that are not UTF-8 text", e);
        }
        if (e instanceof NoSuchFileException) {
            return new AmendException("file not found: " + file, e);
        }
        if (e instanceof AccessDeniedException) {
            return new AmendException("cannot read " + file + ": permission denied", e);
        }
        return new AmendException("cannot read " + file + ": " + e.getMessage(), e);
    }
}
